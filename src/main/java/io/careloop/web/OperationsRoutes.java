package io.careloop.web;

import io.careloop.store.Database;
import io.careloop.scaleout.ClusterStatus;
import io.careloop.audit.AuditLog;
import io.careloop.store.BackupSchedule;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

import static io.careloop.web.Http.*;

/** Operations for admins in the console: backups of the embedded database (list, take one now) and the nodes. */
public final class OperationsRoutes implements Operations {
  private final Database database;
  private final ClusterStatus cluster;
  private final AuditLog audit;
  private final BackupSchedule backups;

  public OperationsRoutes(Database database, ClusterStatus cluster, AuditLog audit, BackupSchedule backups) {
    this.database = database;
    this.cluster = cluster;
    this.audit = audit;
    this.backups = backups;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.of("listBackups", this::listBackups, "createBackup", this::createBackup, "clusterStatus", this::clusterStatus);
  }

  /** The console's view of the nodes: for a signed-in admin, whatever /health/cluster's token says. */
  private void clusterStatus(RoutingContext ctx) {
    respond(ctx, 200, cluster.describe());
  }

  private void listBackups(RoutingContext ctx) {
    respond(ctx, 200, backups.list().map(list -> new JsonObject()
      .put("embedded", database.embedded())
      .put("dir", backups.dir().toAbsolutePath().toString())
      .put("items", new JsonArray(list.stream().map(b -> new JsonObject().put("name", b.name()).put("bytes", b.bytes())
        .put("at", b.at().toString())).toList()))));
  }

  private void createBackup(RoutingContext ctx) {
    if (!database.embedded()) {
      ctx.fail(new io.careloop.errors.Conflict("not-embedded",
        "CareLoop backs up its embedded database only; back up this MongoDB with mongodump or its own snapshots"));
      return;
    }
    respond(ctx, 201, backups.backUpNow().compose(b -> {
      JsonObject view = new JsonObject().put("name", b.file().getFileName().toString()).put("file", b.file().toAbsolutePath().toString())
        .put("bytes", b.bytes()).put("documents", b.documents()).put("collections", new JsonObject(Map.copyOf(b.collections())))
        .put("tookMillis", b.tookMillis()).put("verified", true);
      return audited(audit, ctx, "backup.created", b.file().getFileName().toString(), null, view).map(view);
    }));
  }
}
