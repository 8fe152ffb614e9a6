package io.careloop.kb;

import java.text.Normalizer;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;

/** URL slugs from titles: lower case ASCII words joined by dashes, at most 60 characters. */
public final class Slugs {
  private Slugs() {}

  public static String of(String title) {
    String ascii = Normalizer.normalize(title == null ? "" : title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    if (slug.length() > 60) slug = slug.substring(0, 60).replaceAll("-+$", "");
    return slug.isEmpty() ? "article" : slug;
  }

  /** A regular expression matching {@code base} and its numbered forms ({@code base-2}, {@code base-3}…). */
  public static String numberedFrom(String base) {
    return "^" + Pattern.quote(base) + "(-[0-9]+)?$";
  }

  /** {@code base} if no one has it, else its first numbered form no one has. */
  public static String firstFree(String base, Collection<String> taken) {
    if (!taken.contains(base)) return base;
    for (int i = 2; ; i++) if (!taken.contains(base + "-" + i)) return base + "-" + i;
  }
}
