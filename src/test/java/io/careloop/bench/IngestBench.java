package io.careloop.bench;

import io.careloop.queue.MongoCaseRepository;
import io.careloop.CareLoopVerticle;
import io.careloop.config.Settings;
import io.careloop.x.standin.XStandIn;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ingestion throughput: N mentions waiting on the X stand-in, CareLoop started on an empty embedded database,
 * time until all N are cases (poll, parse, dedupe, route, deadline, durable commit). Baseline in the same run:
 * the raw driver bulk-inserting the same documents the pipeline stored into the same database. Appends to
 * target/bench/ingest.txt.
 * Run: {@code mvn -B -q test-compile exec:exec -Pbench} or see README "Benchmarks".
 */
public final class IngestBench {
  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {1000, 3000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    for (int n : sizes) run(n);
    System.exit(0);
  }

  static void run(int n) throws Exception {
    Vertx vertx = Vertx.vertx();
    XStandIn standIn = new XStandIn(vertx, Clock.systemUTC(), "1000000000000000001", "AcmeCloud", "Acme Cloud");
    String base = standIn.start(0).await();
    for (int i = 0; i < 50; i++) standIn.timeline().account(String.valueOf(100 + i), "customer" + i, "Customer " + i, i * 300L);
    for (int i = 0; i < n; i++) {
      standIn.timeline().publish(String.valueOf(100 + i % 50), "@AcmeCloud how do I do thing number " + i + "? it is broken", null, null);
    }
    Path data = Files.createTempDirectory("careloop-bench");
    Settings s = Settings.from(new JsonObject(), ServiceBench.env("CARELOOP_HTTP_PORT", "0", "CARELOOP_DATA_DIR", data.toString(),
      "CARELOOP_X_BASE_URL", base, "CARELOOP_X_BEARER_TOKEN", "b", "CARELOOP_X_CONSUMER_KEY", "k", "CARELOOP_X_CONSUMER_SECRET", "s",
      "CARELOOP_X_ACCESS_TOKEN", "t", "CARELOOP_X_ACCESS_TOKEN_SECRET", "ts", "CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_X_MONTHLY_READ_CAP", "1000000", "CARELOOP_ADMIN_PASSWORD", "bench-password-123"));
    var x = s.x();
    Settings fast = s.withX(x.withPolling(Duration.ofMillis(100), x.timeout())
      .withBackoff(new Settings.Backoff(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofMillis(50), Duration.ofMillis(400))));
    CareLoopVerticle app = new CareLoopVerticle(fast, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    // Counted from the intake's own announcements: polling a count would scan the cases and slow what it measures.
    java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(n);
    vertx.eventBus().<JsonObject>localConsumer(io.careloop.queue.CaseEvents.CASE_UPDATED, m -> {
      if ("opened".equals(m.body().getString("reason"))) opened.countDown();
    });
    long t0 = System.nanoTime();
    vertx.deployVerticle(app).await();
    long ready = System.nanoTime();
    opened.await();
    long done = System.nanoTime();
    if (app.database().mongo().count(MongoCaseRepository.CASES, new JsonObject()).await() != n) throw new IllegalStateException("not " + n + " cases");
    double pipeline = n / ((done - ready) / 1e9);

    // Baseline: the raw driver inserting the very documents the pipeline stored (mentions, cases, post links, SLA
    // clocks) into fresh collections of the same database, in bulk, then made durable the same way.
    var mongo = app.database().mongo();
    List<String> written = List.of(MongoCaseRepository.MENTIONS, MongoCaseRepository.CASES, MongoCaseRepository.CASE_THREADS, io.careloop.queue.SlaEvents.COLLECTION);
    Map<String, List<JsonObject>> copies = new java.util.LinkedHashMap<>();
    int documents = 0;
    for (String c : written) {
      List<JsonObject> docs = new ArrayList<>();
      io.careloop.store.Paged.forEach(mongo, c, new JsonObject(), null, docs::add).await();
      copies.put(c, docs);
      documents += docs.size();
    }
    long b0 = System.nanoTime();
    for (var e : copies.entrySet()) {
      mongo.bulkWrite("baseline_" + e.getKey(), e.getValue().stream().map(BulkOperation::createInsert).toList()).await();
    }
    app.database().durable().await();
    double baseline = n / ((System.nanoTime() - b0) / 1e9);
    String line = String.format("ingest n=%d start-to-ready=%d ms pipeline=%.0f mentions/s baseline(insertMany of the same %d documents)=%.0f mentions/s"
      + " ratio=%.3f (goal >= 0.5)%n", n, (ready - t0) / 1_000_000, pipeline, documents, baseline, pipeline / baseline);
    System.out.print(line);
    java.nio.file.Files.createDirectories(Path.of("target", "bench"));
    java.nio.file.Files.writeString(Path.of("target", "bench", "ingest.txt"), line,
      java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    vertx.close().await();
  }
}
