package io.careloop;

import io.careloop.config.Settings;
import io.careloop.scaleout.Clustering;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** {@code java -jar careloop.jar}: reads the settings, starts CareLoop, and stops it gracefully on SIGTERM. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      System.exit(Commands.run(args, System.getenv(), System.out, System.err));
      return;
    }
    Settings settings;
    try {
      settings = Settings.load(System.getenv());
    } catch (IllegalArgumentException e) {
      // A bad setting: the message names the variable or key and what is wrong with it; a stack trace would bury it.
      log.error("CareLoop cannot start: {}", e.getMessage());
      System.exit(2);
      return;
    } catch (RuntimeException | ExceptionInInitializerError e) {
      log.error("CareLoop cannot start: reading the settings failed", e);
      System.exit(1);
      return;
    }
    HeapReturn.apply();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true));
    // Diagnostics: warn of any event-loop stall longer than this (Vert.x's default is 2 s); the burst test uses 200 ms.
    Long blockedWarnMs = Long.getLong("careloop.blockedThreadWarnMs");
    if (blockedWarnMs != null) {
      options.setMaxEventLoopExecuteTime(blockedWarnMs).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(Math.max(10, blockedWarnMs / 2)).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(blockedWarnMs).setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
    }
    Vertx vertx;
    try {
      vertx = Clustering.build(Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry)), options, settings.cluster())
        .await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("CareLoop could not join its cluster", e);
      System.exit(1);
      return;
    }
    CareLoopVerticle careLoop = new CareLoopVerticle(settings, Clock.systemUTC(), registry);
    try {
      vertx.deployVerticle(careLoop).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("CareLoop could not start", e);
      vertx.close();
      System.exit(1);
      return;
    }
    HeapReturn.afterStartup(careLoop::startupReadsDone);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(20, TimeUnit.SECONDS);
        System.err.println("CareLoop stopped: in-flight work finished, database closed");
      } catch (Exception e) {
        log.error("Shutdown did not finish cleanly", e);
      }
    }, "careloop-shutdown"));
  }
}
