package io.careloop;

import io.careloop.brands.BrandService;
import io.careloop.config.Settings;
import io.careloop.x.standin.DemoStream;
import io.careloop.x.standin.XStandIn;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * CareLoop with X played by the stand-in on loopback, and a generator posting a brand's day of mentions to it: the
 * same production code path as with real X, pointed elsewhere. Every brand has a posting token the stand-in knows, so
 * a brand added in the demo answers as itself.
 */
final class DemoMode {
  private static final Logger log = LoggerFactory.getLogger(DemoMode.class);
  /** The stand-in checks that credentials are sent, not what they are. */
  static final Settings.Credentials CREDENTIALS = new Settings.Credentials("demo-bearer", "demo-key", "demo-secret", "demo-token", "demo-token-secret");

  private final XStandIn standIn;
  private final DemoStream stream;
  private final Settings settings;

  private DemoMode(XStandIn standIn, DemoStream stream, Settings settings) {
    this.standIn = standIn;
    this.stream = stream;
    this.settings = settings;
  }

  /** Starts the stand-in and the generator; the settings it answers point X at the stand-in. */
  static Future<DemoMode> start(Vertx vertx, Clock clock, Settings configured, Shutdown shutdown) {
    var brand = configured.brand();
    XStandIn standIn = new XStandIn(vertx, clock, brand.userId(), brand.handle(), brand.name());
    return standIn.start(0).map(baseUrl -> {
      shutdown.add(Shutdown.Stage.CLIENTS, "X stand-in", standIn::stop);
      DemoStream stream = new DemoStream(vertx, standIn, clock, System.nanoTime());
      stream.start(Duration.ofSeconds(4));
      shutdown.addSync(Shutdown.Stage.INTAKE, "demo mentions", stream::stop);
      log.info("Demo mode: X stand-in at {} posting for @{}", baseUrl, brand.handle());
      return new DemoMode(standIn, stream, configured.withX(configured.x().at(baseUrl, CREDENTIALS)));
    });
  }

  Settings settings() { return settings; }

  XStandIn standIn() { return standIn; }

  /** A posting token for every brand, by lower-case handle. */
  Function<String, Optional<Settings.UserToken>> postingTokens() {
    return handle -> Optional.of(new Settings.UserToken("demo-token-" + handle, "demo-token-secret"));
  }

  /** The stand-in knows the brand's account and posts as it when given its demo token. */
  void show(BrandService.Brand b) {
    if (standIn.timeline().account(b.userId()) == null) standIn.timeline().account(b.userId(), b.handle(), b.name(), 1_000);
    standIn.connect("demo-token-" + b.id(), b.userId());
  }
}
