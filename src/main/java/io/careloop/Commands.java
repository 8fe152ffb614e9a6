package io.careloop;

import io.careloop.config.Settings;
import io.careloop.store.Backups;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code java -jar careloop.jar COMMAND} does besides running CareLoop: {@code verify FILE} checks a backup,
 * {@code restore --from FILE [--data-dir DIR]} puts one in place of a stopped CareLoop's database. A backup of a
 * running CareLoop is taken through it (Administration → Back up now, or {@code POST /api/admin/backups}), so that it
 * falls between two commits.
 */
final class Commands {
  private Commands() {}

  /** Runs one command; returns the process's exit code (0 done, 1 failed, 2 bad usage). */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      Settings settings = Settings.load(env);
      switch (args[0]) {
        case "verify" -> {
          if (args.length != 2) return usage(err);
          Map<String, Integer> counts = Backups.verify(Path.of(args[1]), settings.mongo().database());
          out.println(args[1] + " is a CareLoop database: " + counts);
          return 0;
        }
        case "restore" -> {
          String from = option(args, "--from");
          String dataDir = option(args, "--data-dir");
          if (from == null) return usage(err);
          Path dir = dataDir == null ? settings.dataDir() : Path.of(dataDir);
          Map<String, Integer> counts = Backups.restore(Path.of(from), dir, settings.mongo().database(), Instant.now());
          out.println("Restored " + from + " into " + dir.toAbsolutePath() + ": " + counts
            + ". The database it replaced is kept beside it as careloop.mv.db.before-restore-*.");
          return 0;
        }
        default -> {
          return usage(err);
        }
      }
    } catch (IOException | RuntimeException e) {
      err.println("careloop " + args[0] + " failed: " + e.getMessage());
      return 1;
    }
  }

  private static String option(String[] args, String name) {
    for (int i = 1; i < args.length - 1; i++) if (args[i].equals(name)) return args[i + 1];
    return null;
  }

  private static int usage(PrintStream err) {
    err.println("usage: java -jar careloop.jar [verify FILE | restore --from FILE [--data-dir DIR]]");
    err.println("(a backup of a running CareLoop: Administration -> Back up now, or POST /api/admin/backups)");
    return 2;
  }
}
