package io.careloop.accounts;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id with the OWASP minimum (m = 19 MiB, t = 2, p = 1), through Password4j. Hashing costs tens of
 * milliseconds of CPU on purpose: call it off the event loop.
 */
public final class PasswordHasher {
  public static final int MIN_LENGTH = 12;
  private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);

  public String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
  }

  /** True when the hash was made with other (older, weaker) parameters than today's: rehash it at the next sign-in. */
  public boolean needsRehash(String hash) {
    try {
      Argon2Function used = Argon2Function.getInstanceFromHash(hash);
      return used.getMemory() != ARGON2ID.getMemory() || used.getIterations() != ARGON2ID.getIterations()
        || used.getParallelism() != ARGON2ID.getParallelism() || used.getVariant() != ARGON2ID.getVariant();
    } catch (RuntimeException notArgon2) {
      return true;
    }
  }

  public boolean matches(String password, String hash) {
    if (hash == null || password == null) return false;
    try {
      return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
