package io.careloop.text;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("XmlText keeps exactly the characters XML 1.0 allows")
class XmlTextTest {

  @Test
  @DisplayName("control characters other than tab, line feed and carriage return are removed")
  void controls() {
    assertEquals("ab", XmlText.clean("a\u0001b"));
    assertEquals("a\tb\nc\rd", XmlText.clean("a\tb\nc\rd"));
    assertEquals("", XmlText.clean("\u0000\u0008\u000B\u000C\u001F"));
  }

  @Test
  @DisplayName("a lone surrogate is removed, a pair (an emoji) is kept")
  void surrogates() {
    assertEquals("ab", XmlText.clean("a\uD800b"));
    assertEquals("ab", XmlText.clean("a\uDC00b"));
    assertEquals("ab", XmlText.clean("ab\uD83D"), "a high surrogate cut off at the end");
    assertEquals("ok 😀 ok", XmlText.clean("ok 😀 ok"));
    assertEquals("\uD83D\uDE00", XmlText.clean("\uDE00\uD83D\uDE00\uD83D"));
  }

  @Test
  @DisplayName("the non-characters U+FFFE and U+FFFF are removed; the edges of the allowed ranges are kept")
  void edges() {
    assertEquals("", XmlText.clean("\uFFFE\uFFFF"));
    String allowed = " \uD7FF\uE000\uFFFD" + new String(Character.toChars(0x10000)) + new String(Character.toChars(0x10FFFF));
    assertEquals(allowed, XmlText.clean(allowed));
  }

  @Test
  @DisplayName("text with nothing to remove is handed back as it is, and null stays null")
  void untouched() {
    String text = "How do I reset my password? <script>alert(1)</script> & ünïcödé";
    assertSame(text, XmlText.clean(text));
    assertNull(XmlText.clean(null));
  }
}
