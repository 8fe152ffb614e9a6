package io.careloop.scaleout;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.careloop.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Builds the Vert.x instance: alone, or as a member of a Vert.x cluster with the Hazelcast cluster manager. The
 * cluster carries live updates and sessions between nodes; what must happen once (polling a source, posting a
 * reply) is decided in MongoDB, never by Hazelcast.
 */
public final class Clustering {
  private Clustering() {}

  public static Future<Vertx> build(VertxBuilder builder, VertxOptions options, Settings.ClusterSettings cluster) {
    if (!cluster.clustered()) return Future.succeededFuture(builder.with(options).build());
    options.getEventBusOptions().setHost(cluster.host()).setPort(cluster.busPort()).setClusterPublicHost(cluster.host());
    return builder.with(options).withClusterManager(new HazelcastClusterManager(hazelcast(cluster))).buildClustered();
  }

  /**
   * Vert.x's own Hazelcast configuration (the maps it needs) with discovery by a fixed member list over TCP: no
   * multicast, no cloud discovery, no phoning home. A member killed without a goodbye is dropped after ten seconds
   * without heartbeat, not Hazelcast's sixty; until then only live updates to it are lost.
   */
  static Config hazelcast(Settings.ClusterSettings cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName("careloop");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "2");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    // Members listed but not up yet are waited for this long at start (Hazelcast's default is 5 s).
    config.setProperty("hazelcast.wait.seconds.before.join", "2");
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    var network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    var tcp = join.getTcpIpConfig().setEnabled(true);
    cluster.members().forEach(tcp::addMember);
    if (cluster.members().isEmpty()) tcp.addMember(cluster.host() + ":" + cluster.port());
    return config;
  }
}
