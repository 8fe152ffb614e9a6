package io.careloop.kb;

import java.text.Normalizer;
import java.util.Locale;

/** URL slugs from titles: lower case ASCII words joined by dashes, at most 60 characters. */
public final class Slugs {
  private Slugs() {}

  public static String of(String title) {
    String ascii = Normalizer.normalize(title == null ? "" : title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    if (slug.length() > 60) slug = slug.substring(0, 60).replaceAll("-+$", "");
    return slug.isEmpty() ? "article" : slug;
  }
}
