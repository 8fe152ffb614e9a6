package io.careloop.accounts;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The device cookie of OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a browser that signed in to an
 * account gets a random device id signed for that account, and an attempt carrying it is counted on its own, so a
 * guesser (even behind the same address) can neither use it nor use it up. The key is made at start and kept in
 * memory, like the throttle it serves: a restart makes every device a stranger again.
 */
public final class DeviceCookies {
  public static final String NAME = "careloop.device";
  private final byte[] key = new byte[32];
  private final SecureRandom random = new SecureRandom();

  public DeviceCookies() {
    random.nextBytes(key);
  }

  /** A device the cookie names, verified or not: {@code id} is fresh when there was no cookie for this account. */
  public record Device(String id, boolean verified) {}

  /** The device of this attempt for {@code username}: the cookie's when it is signed for that account, else a new one. */
  public Device of(String cookieValue, String username) {
    if (cookieValue != null) {
      int dot = cookieValue.indexOf('.');
      if (dot > 0) {
        String id = cookieValue.substring(0, dot);
        byte[] given = cookieValue.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (MessageDigest.isEqual(given, sign(id, username).getBytes(StandardCharsets.US_ASCII))) return new Device(id, true);
      }
    }
    byte[] id = new byte[16];
    random.nextBytes(id);
    return new Device(Base64.getUrlEncoder().withoutPadding().encodeToString(id), false);
  }

  /** The cookie value that names {@code device} for {@code username}. */
  public String value(Device device, String username) {
    return device.id() + "." + sign(device.id(), username);
  }

  private String sign(String id, String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] tag = mac.doFinal((username.toLowerCase(Locale.ROOT) + "|" + id).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing from this JVM", e);
    }
  }
}
