package io.careloop.text;

/**
 * Removes the characters XML 1.0 forbids from text on its way into what CareLoop publishes (feeds, public pages,
 * JSON-LD). Customers' posts may hold any code point X accepts, control characters and, after a cut, half a surrogate
 * pair; one such character made Rome's XML writer throw for the whole feed. Removed rather than replaced: they are
 * invisible in every reader, so nothing a reader could see is lost. Plain Java.
 */
public final class XmlText {
  private XmlText() {}

  /**
   * The text without what XML 1.0 does not allow: anything outside #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD]
   * | [#x10000-#x10FFFF], which includes a surrogate that is not part of a pair. Null stays null; text with nothing to
   * remove comes back as the same string.
   */
  public static String clean(String text) {
    if (text == null) return null;
    int i = 0;
    int n = text.length();
    while (i < n) {
      int cp = text.codePointAt(i);
      if (!allowed(cp)) break;
      i += Character.charCount(cp);
    }
    if (i == n) return text;
    StringBuilder out = new StringBuilder(n).append(text, 0, i);
    while (i < n) {
      int cp = text.codePointAt(i);
      if (allowed(cp)) out.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** True for a code point XML 1.0 allows; a lone surrogate (codePointAt gives it back as itself) is not. */
  static boolean allowed(int cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD
      || cp >= 0x20 && cp <= 0xD7FF
      || cp >= 0xE000 && cp <= 0xFFFD
      || cp >= 0x10000 && cp <= 0x10FFFF;
  }
}
