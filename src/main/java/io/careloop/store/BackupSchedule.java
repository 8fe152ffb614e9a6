package io.careloop.store;

import io.careloop.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Backups on request and every {@code everyHours}: each one named by its time in the backup folder, verified, and the
 * oldest beyond {@code keep} removed. Only for the embedded database (a real MongoDB has its own tools).
 */
public final class BackupSchedule {
  private static final Logger log = LoggerFactory.getLogger(BackupSchedule.class);

  private final Vertx vertx;
  private final Database database;
  private final Settings.BackupSettings settings;
  private final Clock clock;

  public BackupSchedule(Vertx vertx, Database database, Settings.BackupSettings settings, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.settings = settings;
    this.clock = clock;
  }

  /** Starts the periodic backups (a timer of the caller's verticle, so stopping the app stops them). */
  public void start() {
    if (!database.embedded() || settings.everyHours() == 0) return;
    vertx.setPeriodic(settings.everyHours() * 3_600_000L, t -> backUpNow()
      .onSuccess(b -> log.info("Scheduled backup {}: {} documents, {} bytes, {} ms", b.file(), b.documents(), b.bytes(), b.tookMillis()))
      .onFailure(e -> log.error("Scheduled backup failed; the database itself is unaffected", e)));
  }

  /** One backup now, then the oldest beyond the kept count removed. */
  public Future<Backups.Backup> backUpNow() {
    Path target = settings.dir().resolve(Backups.nameAt(clock.instant()));
    return database.backup(target).compose(b -> vertx.executeBlocking(() -> {
      List<Path> removed = Backups.prune(settings.dir(), settings.keep());
      if (!removed.isEmpty()) log.info("Removed backups beyond the {} kept: {}", settings.keep(), removed);
      return b;
    }, false));
  }

  /** The backups in the folder, newest first: name, size and time taken. */
  public Future<List<Listed>> list() {
    return vertx.executeBlocking(() -> {
      if (!Files.isDirectory(settings.dir())) return List.<Listed>of();
      try (Stream<Path> files = Files.list(settings.dir())) {
        return files.filter(p -> p.getFileName().toString().matches("careloop-\\d{8}-\\d{6}\\.mv\\.db"))
          .sorted(java.util.Comparator.reverseOrder())
          .map(p -> {
            try {
              return new Listed(p.getFileName().toString(), Files.size(p), Files.getLastModifiedTime(p).toInstant());
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).toList();
      }
    }, false);
  }

  public record Listed(String name, long bytes, Instant at) {}

  public Path dir() { return settings.dir(); }
}
