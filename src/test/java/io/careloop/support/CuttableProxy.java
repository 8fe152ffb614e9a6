package io.careloop.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on loopback that a test can cut: every open connection is closed and new ones are dropped at once,
 * as when a database host becomes unreachable; {@link #restore()} lets connections through again.
 */
public final class CuttableProxy {
  private final Vertx vertx;
  private final int targetPort;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;
  private NetServer server;
  private NetClient client;

  public CuttableProxy(Vertx vertx, int targetPort) {
    this.vertx = vertx;
    this.targetPort = targetPort;
  }

  public Future<Integer> start() {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(in -> {
      if (cut) {
        in.close();
        return;
      }
      in.pause();
      client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed() || cut) {
          in.close();
          if (ar.succeeded()) ar.result().close();
          return;
        }
        NetSocket out = ar.result();
        open.add(in);
        open.add(out);
        in.closeHandler(v -> { open.remove(in); out.close(); });
        out.closeHandler(v -> { open.remove(out); in.close(); });
        in.pipeTo(out);
        out.pipeTo(in);
        in.resume();
      });
    });
    return server.listen(0, "127.0.0.1").map(s -> s.actualPort());
  }

  public void cut() {
    cut = true;
    open.forEach(NetSocket::close);
  }

  public void restore() { cut = false; }

  public Future<Void> stop() {
    cut();
    return server.close().compose(v -> client.close());
  }
}
