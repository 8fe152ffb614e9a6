package io.careloop.blog;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes what identifies a customer from a quoted post: their handle and display name, any @handle, links, e-mail
 * addresses and long numbers (order, account and phone numbers). Plain Java.
 */
public final class Anonymiser {
  private static final Pattern HANDLES = Pattern.compile("@\\w{1,15}");
  private static final Pattern LINKS = Pattern.compile("https?://\\S+|www\\.\\S+");
  private static final Pattern EMAILS = Pattern.compile("[\\w.+-]+@[\\w-]+\\.[\\w.-]+");
  private static final Pattern NUMBERS = Pattern.compile("\\+?\\d[\\d -]{3,}\\d");

  private Anonymiser() {}

  public static String text(String text, String handle, String name) {
    String t = text == null ? "" : text;
    t = EMAILS.matcher(t).replaceAll("[email]");
    t = LINKS.matcher(t).replaceAll("[link]");
    t = HANDLES.matcher(t).replaceAll("");
    for (String who : List.of(handle == null ? "" : handle, name == null ? "" : name)) {
      // The whole name first: once a part is replaced, a name like "Ann <Dev>" would no longer be found whole. Not
      // inside a longer word, though: the handle "vic" is no part of "service".
      if (who.length() >= 3) t = Pattern.compile("(?i)(?<![\\p{L}\\p{N}_])" + Pattern.quote(who) + "(?![\\p{L}\\p{N}_])").matcher(t).replaceAll("[name]");
      // The name as a whole and each longer part of it ("Ann Lee" also hides "Ann" and "Lee").
      for (String part : (who + " " + who.replace(' ', '\u0000')).split("[\\s\u0000]+")) {
        String p = part.replace('\u0000', ' ').trim();
        if (p.length() >= 3) t = Pattern.compile("(?i)\\b" + Pattern.quote(p) + "\\b").matcher(t).replaceAll("[name]");
      }
    }
    t = NUMBERS.matcher(t).replaceAll("[number]");
    t = t.replaceAll("\\[name](?:\\s+\\[name])+", "[name]");
    return t.replaceAll("[ \\t]{2,}", " ").replaceAll("(?m)^[ \\t]+|[ \\t]+$", "").trim();
  }

  /** How an anonymised quote is attributed. */
  public static String attribution() { return "A customer"; }
}
