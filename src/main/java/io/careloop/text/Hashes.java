package io.careloop.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests of text, as lower-case hex (reply ids, ETags). Plain Java. */
public final class Hashes {
  private Hashes() {}

  /** SHA-256 of the text's UTF-8 bytes, 64 hex digits. */
  public static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      // Every Java runtime has SHA-256 (it is a required algorithm).
      throw new IllegalStateException(e);
    }
  }
}
