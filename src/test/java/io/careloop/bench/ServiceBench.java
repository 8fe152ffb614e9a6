package io.careloop.bench;

import io.careloop.support.Eventually;
import io.careloop.CareLoopVerticle;
import io.careloop.config.Settings;
import io.careloop.queue.CaseEvents;
import io.careloop.support.Agent;
import io.careloop.x.standin.Fault;
import io.careloop.x.standin.XStandIn;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The running service, three figures in one run on one embedded database (README "Benchmarks"):
 * <ol>
 *   <li>Queue API: requests per second and p99 for a page of 50 new cases with 10,000 open, against a bare Vert.x
 *   route answering a constant on the same Vert.x instance, same load loop (16 requests in flight);</li>
 *   <li>Freshness: from the X stand-in taking a mention to a signed-in console's event stream announcing its case,
 *   p50/p99, against the poll interval;</li>
 *   <li>X read efficiency: new mentions per post read over the whole run (10,000 backlog, the live mentions, and a
 *   few faults that make a poll read a page again), and the reads against the monthly cap.</li>
 * </ol>
 * Writes target/bench/service.txt.
 */
public final class ServiceBench {
  static final int OPEN = 10_000;
  static final int IN_FLIGHT = 16;
  static final Duration POLL = Duration.ofSeconds(2);

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : 15;
    Vertx vertx = Vertx.vertx();
    XStandIn standIn = new XStandIn(vertx, Clock.systemUTC(), "1000000000000000001", "AcmeCloud", "Acme Cloud");
    String base = standIn.start(0).await();
    for (int i = 0; i < 100; i++) standIn.timeline().account(String.valueOf(100 + i), "customer" + i, "Customer " + i, i * 37L);
    for (int i = 0; i < OPEN; i++) standIn.timeline().publish(String.valueOf(100 + i % 100), "@AcmeCloud backlog question " + i + "?", null, null);
    Path data = Files.createTempDirectory("careloop-bench");
    Settings s = Settings.from(new JsonObject(), env("CARELOOP_HTTP_PORT", "0", "CARELOOP_DATA_DIR", data.toString(),
      "CARELOOP_X_BASE_URL", base, "CARELOOP_X_BEARER_TOKEN", "b", "CARELOOP_X_CONSUMER_KEY", "k", "CARELOOP_X_CONSUMER_SECRET", "s",
      "CARELOOP_X_ACCESS_TOKEN", "t", "CARELOOP_X_ACCESS_TOKEN_SECRET", "ts", "CARELOOP_BRAND_KEYWORDS", "",
      "CARELOOP_X_MONTHLY_READ_CAP", "20000", "CARELOOP_ADMIN_PASSWORD", "bench-password-123", "CARELOOP_POLL_SECONDS", String.valueOf(POLL.toSeconds())));
    CountDownLatch backlog = new CountDownLatch(OPEN);
    vertx.eventBus().<JsonObject>localConsumer(CaseEvents.CASE_UPDATED, m -> {
      if ("opened".equals(m.body().getString("reason"))) backlog.countDown();
    });
    CareLoopVerticle app = new CareLoopVerticle(s, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    vertx.deployVerticle(app).await();
    backlog.await();
    app.analytics().settled().await();
    io.careloop.support.Eventually.eventually("the open queue in memory", Duration.ofMinutes(5), () -> app.openQueue().loaded());
    StringBuilder report = new StringBuilder("ServiceBench " + java.time.LocalDate.now() + ", " + OPEN + " open cases, "
      + IN_FLIGHT + " requests in flight, " + seconds + " s per target\n");

    // 1. Queue API against a bare route.
    Agent agent = Agent.login(vertx, app.port(), "admin", "bench-password-123");
    HttpServer bare = vertx.createHttpServer().requestHandler(r -> r.response().putHeader("content-type", "application/json")
      .end("{\"items\":[]}")).listen(0, "127.0.0.1").await();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"),
      new io.vertx.core.http.PoolOptions().setHttp1MaxSize(IN_FLIGHT));
    // Every cookie of the sign-in (the session's and, since the sign-in throttle, the device's), not the first one found.
    String cookie = java.util.stream.StreamSupport.stream(agent.client().cookieStore().get(false, "127.0.0.1", "/api/cases").spliterator(), false)
      .map(c -> c.name() + "=" + c.value()).collect(java.util.stream.Collectors.joining("; "));
    load(vertx, () -> client.get(bare.actualPort(), "127.0.0.1", "/"), 3);
    load(vertx, () -> client.get(app.port(), "127.0.0.1", "/api/cases?state=new&limit=50").putHeader("cookie", cookie), 3);
    Load bareLoad = load(vertx, () -> client.get(bare.actualPort(), "127.0.0.1", "/"), seconds);
    Load queueLoad = load(vertx, () -> client.get(app.port(), "127.0.0.1", "/api/cases?state=new&limit=50").putHeader("cookie", cookie), seconds);
    report.append(String.format("queue API: %.0f req/s, p50 %.1f ms, p99 %.1f ms, %d errors | bare route: %.0f req/s, p50 %.2f ms, p99 %.2f ms"
        + " | ratio %.3f (goal >= 0.25), p99 goal <= 20 ms%n",
      queueLoad.rps(), queueLoad.p(50), queueLoad.p(99), queueLoad.errors, bareLoad.rps(), bareLoad.p(50), bareLoad.p(99),
      queueLoad.rps() / bareLoad.rps()));
    System.out.print(report);

    // 2. Freshness: publish, then wait for the console's event stream to announce the case.
    Map<String, Long> published = new ConcurrentHashMap<>();
    List<Double> delays = Collections.synchronizedList(new ArrayList<>());
    HttpClient http = vertx.createHttpClient();
    Promise<Void> streaming = Promise.promise();
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(app.port()).setHost("127.0.0.1").setURI("/api/events")
        .putHeader("cookie", cookie))
      .compose(req -> req.send())
      .onSuccess(resp -> {
        streaming.tryComplete();
        StringBuilder pending = new StringBuilder();
        resp.handler(chunk -> {
          long now = System.nanoTime();
          pending.append(chunk.toString());
          int end;
          while ((end = pending.indexOf("\n\n")) >= 0) {
            String event = pending.substring(0, end);
            pending.delete(0, end + 2);
            int at0 = event.indexOf("data: ");
            if (!event.contains("event: case") || at0 < 0) continue;
            JsonObject body = new JsonObject(event.substring(at0 + 6).trim());
            Long at = published.remove(body.getString("id"));
            if (at != null && "opened".equals(body.getString("reason"))) delays.add((now - at) / 1e6);
          }
        });
      }).onFailure(streaming::tryFail);
    streaming.future().await();
    Random random = new Random(7);
    int live = Math.max(20, seconds * 3);
    for (int i = 0; i < live; i++) {
      Thread.sleep(300 + random.nextInt(1_700));
      long t0 = System.nanoTime();
      var post = standIn.timeline().publish(String.valueOf(100 + i % 100), "@AcmeCloud live question " + i + "?", null, null);
      published.put("c" + post.id(), t0);
    }
    long until = System.nanoTime() + POLL.multipliedBy(3).toNanos();
    while (!published.isEmpty() && System.nanoTime() < until) Thread.sleep(50);
    List<Double> sorted = new ArrayList<>(delays);
    Collections.sort(sorted);
    report.append(String.format("freshness: %d live mentions, %d announced, p50 %.0f ms, p99 %.0f ms, max %.0f ms | poll interval %d ms"
        + " (goal p99 <= interval + 500 ms = %d ms)%n", live, sorted.size(), pct(sorted, 50), pct(sorted, 99), sorted.get(sorted.size() - 1),
      POLL.toMillis(), POLL.toMillis() + 500));

    // 3. X read efficiency, with a few faults that make a poll read a page again.
    for (int i = 0; i < 5; i++) {
      standIn.inject(new Fault(Fault.Kind.UNAVAILABLE, 1, "/2/users", 0).afterSkipping(1));
      for (int j = 0; j < 10; j++) standIn.timeline().publish(String.valueOf(100 + j), "@AcmeCloud faulty hour " + i + "-" + j + "?", null, null);
      Thread.sleep(POLL.toMillis() * 3);
    }
    Thread.sleep(POLL.toMillis() * 2);
    JsonObject listed = agent.get("/api/sources").expect(200).json();
    JsonArray sources = listed.getJsonArray("items");
    JsonObject budget = listed.getJsonObject("readBudget");
    JsonObject mentions = sources.getJsonObject(0);
    long mentionsStored = app.database().mongo().count("mentions", new JsonObject()).await();
    long postsRead = mentions.getLong("postsRead");
    report.append(String.format("X reads: %d new mentions, %d posts read in %d requests: %.1f%% new per post read (goal >= 95%%);"
        + " the account read %d this month against a cap of %d (enforced: a page is read only if it fits)%n", mentionsStored, postsRead,
      mentions.getLong("requests"), 100.0 * mentionsStored / postsRead, budget.getLong("used"), budget.getLong("cap")));
    BenchResults.publish("service.txt", report);
    vertx.close().await();
    System.exit(0);
  }

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = new java.util.HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
    return env;
  }

  static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  /** Latencies of a closed-loop load with {@link #IN_FLIGHT} requests always in flight. */
  static final class Load {
    final List<Double> millis = Collections.synchronizedList(new ArrayList<>());
    int errors;
    double seconds;

    double rps() { return millis.size() / seconds; }

    double p(int p) {
      List<Double> sorted = new ArrayList<>(millis);
      Collections.sort(sorted);
      return pct(sorted, p);
    }
  }

  static Load load(Vertx vertx, java.util.function.Supplier<HttpRequest<io.vertx.core.buffer.Buffer>> request, int seconds) {
    Load load = new Load();
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    List<Future<Void>> loops = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) loops.add(vertx.executeBlocking(() -> null).compose(v -> loop(vertx, request, load, end)));
    Future.all(loops).await();
    load.seconds = (System.nanoTime() - start) / 1e9;
    return load;
  }

  /** One closed loop until {@code end}; each turn starts from a callback, so no chain of futures builds up. */
  static Future<Void> loop(Vertx vertx, java.util.function.Supplier<HttpRequest<io.vertx.core.buffer.Buffer>> request, Load load, long end) {
    Promise<Void> done = Promise.promise();
    turn(vertx, request, load, end, done);
    return done.future();
  }

  static void turn(Vertx vertx, java.util.function.Supplier<HttpRequest<io.vertx.core.buffer.Buffer>> request, Load load, long end,
                   Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    long t0 = System.nanoTime();
    // Like wrk, the load generator reads each body and throws it away: it is not the server's work to keep it.
    request.get().as(io.vertx.ext.web.codec.BodyCodec.none()).send().onComplete(ar -> {
      if (ar.succeeded() && ar.result().statusCode() == 200) {
        load.millis.add((System.nanoTime() - t0) / 1e6);
        turn(vertx, request, load, end, done);
        return;
      }
      synchronized (load) {
        if (load.errors++ == 0) System.out.println("first error: " + (ar.succeeded() ? ar.result().statusCode() + " " + ar.result().bodyAsString() : ar.cause()));
      }
      vertx.setTimer(1, t -> turn(vertx, request, load, end, done));
    });
  }

}
