package io.careloop.bench;

import io.careloop.queue.MongoCaseRepository;
import io.careloop.CareLoopVerticle;
import io.careloop.config.Settings;
import io.careloop.queue.CaseEvents;
import io.careloop.x.standin.XStandIn;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Start to ready and resident memory of the built jar ({@code java -jar target/careloop.jar}, default JVM flags, as an
 * operator runs it) on the embedded database: first on an empty data folder (the baseline), then on one holding N
 * cases (100,000 by default) that the real pipeline ingested from the X stand-in, all open (the worst case), then on the
 * same folder with all but 2% of them closed (a typical backlog). Memory is VmRSS once ready and
 * after 50 queue requests. Needs {@code mvn package} first. Writes target/bench/start.txt.
 */
public final class StartBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : 100_000;
    String jar = "target/careloop.jar";
    if (!new File(jar).isFile()) throw new IllegalStateException("build the jar first: mvn -B -q package -DskipTests");
    Vertx vertx = Vertx.vertx();
    XStandIn standIn = new XStandIn(vertx, Clock.systemUTC(), "1000000000000000001", "AcmeCloud", "Acme Cloud");
    String base = standIn.start(0).await();
    Map<String, String> env = ServiceBench.env("CARELOOP_X_BASE_URL", base, "CARELOOP_X_BEARER_TOKEN", "b", "CARELOOP_X_CONSUMER_KEY", "k",
      "CARELOOP_X_CONSUMER_SECRET", "s", "CARELOOP_X_ACCESS_TOKEN", "t", "CARELOOP_X_ACCESS_TOKEN_SECRET", "ts",
      "CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_X_MONTHLY_READ_CAP", "1000000", "CARELOOP_ADMIN_PASSWORD", "bench-password-123");

    StringBuilder report = new StringBuilder("StartBench " + java.time.LocalDate.now() + ", java -jar with default JVM flags, "
      + Runtime.getRuntime().availableProcessors() + " cores\n");
    Path empty = Files.createTempDirectory("careloop-start-empty");
    long[] baseline = startAndMeasure(jar, empty, env);
    report.append("empty database: " + figures(baseline) + "\n");
    System.out.print(report);

    // N cases through the real pipeline (in this JVM), then stopped gracefully.
    for (int i = 0; i < 200; i++) standIn.timeline().account(String.valueOf(100 + i), "customer" + i, "Customer " + i, i * 11L);
    for (int i = 0; i < n; i++) standIn.timeline().publish(String.valueOf(100 + i % 200), "@AcmeCloud stored question " + i + "?", null, null);
    Path full = Files.createTempDirectory("careloop-start-full");
    Map<String, String> fill = new java.util.HashMap<>(env);
    fill.putAll(Map.of("CARELOOP_HTTP_PORT", "0", "CARELOOP_DATA_DIR", full.toString(), "CARELOOP_POLL_SECONDS", "1"));
    CountDownLatch opened = new CountDownLatch(n);
    vertx.eventBus().<JsonObject>localConsumer(CaseEvents.CASE_UPDATED, m -> {
      if ("opened".equals(m.body().getString("reason"))) opened.countDown();
    });
    CareLoopVerticle filler = new CareLoopVerticle(Settings.from(new JsonObject(), fill), Clock.systemUTC(),
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    long f0 = System.nanoTime();
    String deployment = vertx.deployVerticle(filler).await();
    opened.await();
    filler.analytics().settled().await();
    long fillSeconds = (System.nanoTime() - f0) / 1_000_000_000;
    vertx.undeploy(deployment).await();

    long[] loaded = startAndMeasure(jar, full, env);
    report.append(String.format("%,d cases, all open (ingested in %d s): %s%n", n, fillSeconds, figures(loaded)));
    report.append(String.format("  ratios to the empty database: start %.2fx, memory after a minute %.2fx%n",
      (double) loaded[0] / baseline[0], (double) loaded[4] / baseline[4]));
    System.out.print(report);

    // A typical folder: the same cases, all but 2% closed. Marked resolved in the database directly (resolving them
    // through the API would take as long again as the fill); their SLA event logs stay as the intake wrote them.
    int open = Math.max(1, n / 50);
    CareLoopVerticle closer = new CareLoopVerticle(Settings.from(new JsonObject(), fill), Clock.systemUTC(),
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    deployment = vertx.deployVerticle(closer).await();
    var mongo = closer.database().mongo();
    mongo.updateCollectionWithOptions(MongoCaseRepository.CASES, new JsonObject(),
      new JsonObject().put("$set", new JsonObject().put("state", "resolved").put("closedAt", io.careloop.store.Dates.bson(java.time.Instant.now()))),
      new io.vertx.ext.mongo.UpdateOptions().setMulti(true)).await();
    List<String> keep = mongo.findWithOptions(MongoCaseRepository.CASES, new JsonObject(),
      new io.vertx.ext.mongo.FindOptions().setFields(new JsonObject().put("_id", 1)).setLimit(open)).await()
      .stream().map(d -> d.getString("_id")).toList();
    for (String id : keep) {
      mongo.updateCollection(MongoCaseRepository.CASES, new JsonObject().put("_id", id),
        new JsonObject().put("$set", new JsonObject().put("state", "new")).put("$unset", new JsonObject().put("closedAt", ""))).await();
    }
    closer.database().durable().await();
    vertx.undeploy(deployment).await();
    long[] typical = startAndMeasure(jar, full, env);
    report.append(String.format("%,d cases, %,d open: %s%n", n, open, figures(typical)));
    report.append(String.format("  ratios to the empty database: start %.2fx, memory after a minute %.2fx | goals: ready <= 3000 ms, resident <= 512 MiB%n",
      (double) typical[0] / baseline[0], (double) typical[4] / baseline[4]));
    BenchResults.publish("start.txt", report);
    vertx.close().await();
    System.exit(0);
  }

  static final int SETTLE_SECONDS = 60;

  /** {ms to ready, MiB resident once ready, after 50 queue requests, highest in the minute after, at the end of it}. */
  static long[] startAndMeasure(String jar, Path data, Map<String, String> env) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "bench", "start-" + data.getFileName() + ".log").toFile()));
    Files.createDirectories(Path.of("target", "bench"));
    pb.environment().keySet().removeIf(k -> k.startsWith("CARELOOP_"));
    pb.environment().putAll(env);
    pb.environment().put("CARELOOP_HTTP_PORT", String.valueOf(port));
    pb.environment().put("CARELOOP_DATA_DIR", data.toString());
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      while (status(port, "/health/ready") != 200) {
        if (!p.isAlive()) throw new IllegalStateException("CareLoop exited: " + p.exitValue());
        Thread.sleep(20);
      }
      long ready = (System.nanoTime() - t0) / 1_000_000;
      long rssReady = rss(p);
      for (int i = 0; i < 50; i++) status(port, "/api/public/response-times");
      var agent = io.careloop.support.Agent.login(Vertx.vertx(), port, "admin", "bench-password-123");
      for (int i = 0; i < 50; i++) agent.get("/api/cases?state=new&limit=50").expect(200);
      long afterRequests = rss(p);
      // Then a minute as an idle morning: the highest and the last reading (the heap is returned once the start's reads are over).
      long peak = afterRequests;
      long last = afterRequests;
      for (int s = 0; s < SETTLE_SECONDS; s++) {
        Thread.sleep(1000);
        last = rss(p);
        peak = Math.max(peak, last);
      }
      return new long[] {ready, rssReady, afterRequests, peak, last};
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  static String figures(long[] f) {
    return String.format("ready in %d ms; resident %d MiB once ready, %d MiB after 50 queue requests, at most %d MiB and finally %d MiB in the %d s after",
      f[0], f[1], f[2], f[3], f[4], SETTLE_SECONDS);
  }

  static int status(int port, String path) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      c.setConnectTimeout(200);
      c.setReadTimeout(5000);
      int code = c.getResponseCode();
      c.getInputStream().readAllBytes();
      return code;
    } catch (IOException notYet) {
      return -1;
    }
  }

  static long rss(Process p) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
    }
    return -1;
  }
}
