package io.careloop.scaleout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What {@code /health/cluster} shows an operator: this node, the nodes the database has heard of, the Vert.x
 * cluster's members, and who holds which lease for how long.
 */
public final class ClusterStatus {
  private final Vertx vertx;
  private final NodeRegistry nodes;
  private final Leases leases;

  public ClusterStatus(Vertx vertx, NodeRegistry nodes, Leases leases) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.leases = leases;
  }

  public Future<JsonObject> describe() {
    return Future.all(nodes.describe(), leases.describe()).map(all -> {
      JsonObject status = new JsonObject().put("node", leases.nodeId()).put("clustered", vertx.isClustered())
        .put("leaseTtlMs", leases.ttl().toMillis()).put("fencedWrites", leases.fencedWrites());
      if (vertx.isClustered()) {
        // The cluster manager's view (who receives live updates), next to the database's (who holds leases).
        var manager = ((VertxInternal) vertx).clusterManager();
        status.put("eventBus", new JsonObject().put("nodeId", manager.getNodeId()).put("members", manager.getNodes().size()));
      }
      return status.put("nodes", new JsonArray(all.<java.util.List<Object>>resultAt(0))).put("leases", new JsonArray(all.<java.util.List<Object>>resultAt(1)));
    });
  }
}
