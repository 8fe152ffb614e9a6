package io.careloop.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The secrets file, {@code CARELOOP_SECRETS_FILE}: {@code KEY=VALUE} lines for the secret variables only (X
 * credentials and further brands' tokens, the admin password, the Mongo URI, the metrics token, the served database's
 * password), read before anything else so a secret never has to sit in the config file or a shell history.
 */
final class SecretsFile {
  static final String ENV = "CARELOOP_SECRETS_FILE";

  private SecretsFile() {}

  /**
   * The environment with the file's secrets added under it: a variable set in the environment wins. The file must
   * live outside any git work tree, so a secret cannot be committed by accident.
   */
  static Map<String, String> under(Map<String, String> env) {
    String file = env.get(ENV);
    if (file == null || file.isBlank()) return env;
    Path path = Path.of(file).toAbsolutePath().normalize();
    for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"))) {
        throw new IllegalArgumentException(ENV + " must live outside the repository (" + dir + " is a git work tree)");
      }
    }
    Map<String, String> merged = new HashMap<>();
    try {
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        String l = line.trim();
        if (l.isEmpty() || l.startsWith("#")) continue;
        int eq = l.indexOf('=');
        String key = eq < 0 ? l : l.substring(0, eq).trim();
        if (eq < 0 || !(Variable.secret(key) || Settings.Credentials.BRAND_TOKEN.matcher(key).matches())) {
          throw new IllegalArgumentException(ENV + ": unexpected line for key '" + key + "'");
        }
        merged.put(key, l.substring(eq + 1).trim());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + ENV + ": " + e.getMessage(), e);
    }
    merged.putAll(env);
    return Map.copyOf(merged);
  }
}
