package io.careloop.accounts;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Password hashing")
class PasswordHasherTest {
  final PasswordHasher hasher = new PasswordHasher();

  @Test
  @DisplayName("Argon2id with m=19 MiB, t=2, p=1; verifies the right password only")
  void argon2id() {
    String hash = hasher.hash("a long enough passphrase");
    assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
    assertTrue(hasher.matches("a long enough passphrase", hash));
    assertFalse(hasher.matches("a long enough passphrasE", hash));
    assertFalse(hasher.matches("anything", "not-a-hash"));
    assertFalse(hasher.needsRehash(hash));
  }

  @Test
  @DisplayName("a hash made with weaker parameters, or another algorithm, is due for an upgrade")
  void upgrade() {
    String weak = Password.hash("a long enough passphrase").addRandomSalt(16).with(Argon2Function.getInstance(8 * 1024, 1, 1, 32, Argon2.ID)).getResult();
    assertTrue(hasher.needsRehash(weak));
    assertTrue(hasher.matches("a long enough passphrase", weak), "still verifies, so the upgrade can happen at sign-in");
    assertTrue(hasher.needsRehash(Password.hash("a long enough passphrase").withBcrypt().getResult()));
  }
}
