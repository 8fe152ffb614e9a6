package io.careloop.reply;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Reply length as X counts it")
class ReplyLengthTest {
  @Test
  @DisplayName("a URL weighs 23 whatever its length")
  void url() {
    assertEquals(23, ReplyLength.of("https://example.com/a/very/long/path/that/goes/on/and/on/and/on").weightedLength());
  }

  @Test
  @DisplayName("emoji and CJK weigh double")
  void weights() {
    assertEquals(2, ReplyLength.of("\uD83D\uDE4C").weightedLength());
    assertEquals(4, ReplyLength.of("李伟").weightedLength());
  }

  @Test
  @DisplayName("280 is allowed, 281 is not; 140 CJK characters fill a post")
  void limit() {
    assertTrue(ReplyLength.of("a".repeat(280)).valid());
    assertFalse(ReplyLength.of("a".repeat(281)).valid());
    assertTrue(ReplyLength.of("字".repeat(140)).valid());
    assertFalse(ReplyLength.of("字".repeat(141)).valid());
    assertEquals(-1, ReplyLength.of("a".repeat(281)).remaining());
  }
}
