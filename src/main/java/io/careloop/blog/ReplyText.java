package io.careloop.blog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An agent's reply made fit for a public post: the greeting with the name or handle after it, the handles, the links
 * and the sign-off are removed as whole phrases, so nothing like "Hi , this" or a dangling dash is left behind, and
 * so are HTML tags. Everything else is kept as written, including {@code {{template}}} syntax: the result is plain
 * text, handed to the draft template as data (never compiled) and escaped wherever it is shown. Plain Java.
 */
public final class ReplyText {
  /**
   * Bidirectional overrides and isolates, and invisible characters: they can reorder or hide what a reader sees
   * (the "RTL override" trick), and never carry meaning in a support answer.
   */
  private static final Pattern CONTROLS = Pattern.compile("[\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C\\u200B\\u2060\\uFEFF]");
  private static final Pattern LINKS = Pattern.compile(
    "(?i)(?:\\bhttps?://|\\bwww\\.|\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|co|io|ly|net|org|me|app|link|gl|to|ai|dev)/)\\S*?(?=[)\\]}>.,!?:;'\"]*(?:\\s|$))");
  /** Markup is never part of a care answer (and in a tweet usually an attack): scripts go with their content, tags alone. */
  private static final Pattern SCRIPTS = Pattern.compile("(?is)<(script|style)\\b.*?(?:</\\1\\s*>|$)");
  private static final Pattern TAGS = Pattern.compile("</?[a-zA-Z][^<>]{0,500}>");
  private static final Pattern HANDLE = Pattern.compile("(?<![\\w@])@\\w{1,15}\\b");
  private static final Pattern LEADING_HANDLES = Pattern.compile("^(?:\\s*@\\w{1,15}\\b[,:]?)+\\s*");
  private static final String GREETING_WORD =
    "(?i:hi|hey|hello|hiya|howdy|heya|hallo|yo|greetings|dear|good\\s+(?:morning|afternoon|evening|day))(?![\\w'])"
      + "(?:\\s+(?i:there|again|all|everyone|folks|friend))?";
  private static final String SEPARATOR = "[,!.:;\\u2013\\u2014-]";
  /** "Hi Sam," / "Dear Ann Lee:" — a greeting, up to three names or handles, then punctuation. */
  private static final Pattern GREETING_WITH_NAME = Pattern.compile(
    "^" + GREETING_WORD + "(?:[\\s,]*(?:@\\w{1,15}|\\p{Lu}[\\p{L}'.-]*)){1,3}\\s*" + SEPARATOR + "+\\s*");
  /** "Hi," / "Hey @sam!" / "Hello there" — a greeting, any handles, and the punctuation if there is some. */
  private static final Pattern GREETING = Pattern.compile("^" + GREETING_WORD + "(?:[\\s,]*@\\w{1,15}\\b)*\\s*" + SEPARATOR + "*\\s*");
  private static final String NAME = "\\p{Lu}[\\p{L}'.-]*(?:\\s+\\p{Lu}[\\p{L}'.-]*)?";
  private static final String COMPANY = "(?:\\s+(?i:from|at|of)\\s+(?:(?i:the)\\s+)?[\\p{L}\\p{N}&'.-]+(?:\\s+(?i:team|support|care))?)?";
  /**
   * Sign-offs at the very end. "^JD" and "/AB" are how care teams initial their posts on X; "- Anna" only after the
   * sentence has ended (or as initials), so "Open Settings - Security" keeps its last word.
   */
  private static final List<Pattern> SIGNATURES = List.of(
    Pattern.compile("\\s*\\^\\s*[\\p{L}]{1,20}\\s*$"),
    Pattern.compile("(?:^|\\s)/\\s*\\p{L}{2,3}\\s*$"),
    Pattern.compile("(?<=[.!?)\\u2026\\p{So}])\\s*[-\\u2013\\u2014~]\\s*(?:(?i:the)\\s+)?" + NAME + COMPANY + "\\s*$"),
    Pattern.compile("\\s+[-\\u2013\\u2014~]\\s*\\p{Lu}{2,3}\\s*$"),
    Pattern.compile("(?:^|(?<=[.!?\\p{So}])|\\s)\\s*(?i:thanks|thank\\s+you|many\\s+thanks|cheers|best|regards|kind\\s+regards|best\\s+regards|warm\\s+regards|all\\s+the\\s+best|take\\s+care)"
      + "\\s*[,!-]?\\s*(?:(?i:the)\\s+)?" + NAME + COMPANY + "\\s*[.!]?\\s*$"));
  private static final Pattern NO_WORDS = Pattern.compile("^[^\\p{L}\\p{N}]*$");

  private ReplyText() {}

  /**
   * The reply as a sentence a post can carry.
   *
   * @param names the customers' names and handles (without "@") that a greeting may name without punctuation after it
   *              ("Hi Sam this should help")
   * @return the cleaned text, or "" when nothing but greetings, handles, links, signs and emoji was there
   */
  public static String clean(String reply, Collection<String> names) {
    String t = withoutControls(reply);
    t = SCRIPTS.matcher(t).replaceAll(" ");
    t = TAGS.matcher(t).replaceAll(" ");
    t = LINKS.matcher(t).replaceAll(" ");
    t = LEADING_HANDLES.matcher(t).replaceFirst("");
    t = withoutGreeting(t, names);
    t = HANDLE.matcher(t).replaceAll(" ");
    t = tidy(t);
    for (String before = null; !t.equals(before); ) {
      before = t;
      for (Pattern p : SIGNATURES) t = tidy(p.matcher(t).replaceFirst(""));
    }
    if (NO_WORDS.matcher(t).matches()) return "";
    return capitalised(t);
  }

  public static String clean(String reply) {
    return clean(reply, List.of());
  }

  /** The text without bidirectional controls and invisible characters (null reads as ""). */
  static String withoutControls(String text) {
    return CONTROLS.matcher(text == null ? "" : text).replaceAll("");
  }

  /** True when the text has at least one letter or digit: emoji and punctuation alone say nothing. */
  static boolean hasWords(String text) {
    return text != null && !NO_WORDS.matcher(text).matches();
  }

  private static String withoutGreeting(String text, Collection<String> names) {
    String t = text.stripLeading();
    Matcher named = GREETING_WITH_NAME.matcher(t);
    if (named.find()) return t.substring(named.end());
    Matcher plain = GREETING.matcher(t);
    if (!plain.find() || plain.end() == 0) return t;
    String rest = t.substring(plain.end());
    // A known customer name straight after the greeting goes with it, even without a comma.
    List<String> known = new ArrayList<>(names.stream().filter(n -> n != null && n.length() >= 2).toList());
    known.sort(Comparator.comparingInt(String::length).reversed());
    for (String name : known) {
      for (String form : List.of(name, name.split("\\s+")[0])) {
        Matcher m = Pattern.compile("^" + Pattern.quote(form) + "(?![\\w'])\\s*" + SEPARATOR + "*\\s*", Pattern.CASE_INSENSITIVE).matcher(rest);
        if (m.find()) return rest.substring(m.end());
      }
    }
    return rest;
  }

  /** Spaces tidied, and the separators that removals left at either end or before punctuation dropped. */
  static String tidy(String text) {
    String t = text.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" *\\n *", "\n");
    // What pointed at a removed link goes with it: "(see )", "( )".
    t = t.replaceAll("(?i)\\(\\s*(?:see|here|link|details|more|info)?\\s*:?\\s*\\)|\\[\\s*]", "");
    t = t.replaceAll(" +([,.!?:;)])", "$1").replaceAll("\\( +", "(");
    t = t.replaceAll("([,;:])(?:\\s*[,;:])+", "$1");
    t = t.replaceAll("^[\\s,;:.!\\u2013\\u2014-]+", "");
    t = t.replaceAll("[\\s,;\\u2013\\u2014~-]+$", "");
    return t.strip();
  }

  private static String capitalised(String t) {
    if (t.isEmpty()) return t;
    int first = t.codePointAt(0);
    if (!Character.isLowerCase(first)) return t;
    return new String(Character.toChars(Character.toUpperCase(first))) + t.substring(Character.charCount(first));
  }

  /** Lower-case letters and digits only, single spaces: two texts that differ only in case, signs or emoji read the same. */
  static String normalised(String text) {
    return withoutControls(text).toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }
}
