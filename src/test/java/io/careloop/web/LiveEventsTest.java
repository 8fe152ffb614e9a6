package io.careloop.web;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(VertxExtension.class)
@DisplayName("Live updates to the console by server-sent events")
class LiveEventsTest {
  /** One app for the class: each method signs in its own users, and closes the streams it opened (see below). */
  static Harness h;
  @TempDir static Path data;
  /** The clients a method opened streams with, closed after it. */
  static final List<HttpClient> opened = new CopyOnWriteArrayList<>();
  static int consumersAtStart;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @BeforeEach
  void countConsumers() {
    consumersAtStart = consumers(h.vertx(), io.careloop.queue.CaseEvents.CASE_UPDATED);
  }

  /** A method's streams are closed, and the server has let go of them, before the next method counts consumers. */
  @AfterEach
  void closeStreams() {
    opened.forEach(c -> c.close().await());
    opened.clear();
    eventually("the closed streams let go of their consumers", Duration.ofSeconds(10),
      () -> consumers(h.vertx(), io.careloop.queue.CaseEvents.CASE_UPDATED) <= consumersAtStart);
  }

  static HttpClient client(Vertx vertx) {
    HttpClient http = vertx.createHttpClient();
    opened.add(http);
    return http;
  }

  @Test
  @DisplayName("a signed-in console hears of a new case and of each poll; an anonymous one is refused")
  void pushesCaseAndSourceEvents(Vertx vertx, VertxTestContext test) throws Exception {
    Agent agent = h.newAgent("ivy", "agent");
    String cookie = agent.cookie();
    HttpClient http = client(vertx);

    HttpClientResponse anonymous = http.request(HttpMethod.GET, h.port(), "127.0.0.1", "/api/events")
      .compose(req -> req.send()).await();
    assertEquals(401, anonymous.statusCode());

    var caseOpened = test.checkpoint();
    var sourcePolled = test.checkpoint();
    StringBuilder seen = new StringBuilder();
    h.standIn().timeline().account("51", "kim", "Kim", 10);
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(h.port()).setHost("127.0.0.1").setURI("/api/events")
        .putHeader("Cookie", cookie))
      .compose(req -> req.send())
      .onComplete(test.succeeding(resp -> {
        test.verify(() -> assertEquals("text/event-stream; charset=utf-8", resp.getHeader("content-type")));
        AtomicBoolean caseSeen = new AtomicBoolean();
        AtomicBoolean sourceSeen = new AtomicBoolean();
        resp.handler(chunk -> {
          seen.append(chunk.toString());
          boolean opened = seen.indexOf("event: case") >= 0 && seen.indexOf("\"reason\":\"opened\"") >= 0;
          if (opened && caseSeen.compareAndSet(false, true)) caseOpened.flag();
          if (seen.indexOf("event: source") >= 0 && sourceSeen.compareAndSet(false, true)) sourcePolled.flag();
        });
        h.standIn().timeline().publish("51", "@AcmeCloud live update please?", null, null);
      }));
    boolean done = test.awaitCompletion(15, TimeUnit.SECONDS);
    assertEquals(true, done, "events seen: " + seen);
  }

  /** An open event stream as a test reads it: what it said, and whether the server ended it. */
  record OpenStream(StringBuilder text, java.util.concurrent.CompletableFuture<Void> ended) {
    boolean endedWithin(java.time.Duration d) {
      try {
        ended.get(d.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    }
  }

  static OpenStream open(Vertx vertx, Agent agent) {
    StringBuilder text = new StringBuilder();
    var ended = new java.util.concurrent.CompletableFuture<Void>();
    // Handlers are set as the answer arrives, on its event loop, so no chunk goes by before them.
    HttpClientResponse resp = client(vertx).request(new RequestOptions().setMethod(HttpMethod.GET).setPort(h.port())
        .setHost("127.0.0.1").setURI("/api/events").putHeader("Cookie", agent.cookie()))
      .compose(req -> req.send()).map(r -> {
        r.handler(chunk -> {
          synchronized (text) {
            text.append(chunk.toString());
          }
        });
        r.endHandler(v -> ended.complete(null));
        r.exceptionHandler(e -> ended.complete(null));
        return r;
      }).await();
    assertEquals(200, resp.statusCode());
    eventually("the stream said hello", java.time.Duration.ofSeconds(5), () -> {
      synchronized (text) {
        return text.indexOf("retry:") >= 0;
      }
    });
    return new OpenStream(text, ended);
  }

  @Test
  @DisplayName("a stream ends when its session signs out, and when its account is disabled, loses a role or gets a new password")
  void streamsEndWithTheirSession(Vertx vertx) {
    Agent admin = h.admin();
    Map<String, java.util.function.Consumer<String>> endings = new java.util.LinkedHashMap<>();
    endings.put("signs out", u -> {});
    endings.put("is disabled", u -> admin.patch("/api/users/" + u, new io.vertx.core.json.JsonObject().put("disabled", true)).expect(200));
    endings.put("changes roles", u -> admin.patch("/api/users/" + u,
      new io.vertx.core.json.JsonObject().put("roles", new io.vertx.core.json.JsonArray().add("community"))).expect(200));
    endings.put("gets a new password", u -> admin.put("/api/users/" + u + "/password",
      new io.vertx.core.json.JsonObject().put("password", "a brand new passphrase 42")).expect(204));
    int n = 0;
    for (var ending : endings.entrySet()) {
      String username = "viewer" + n++;
      Agent agent = h.newAgent(username, "agent", "lead");
      OpenStream stream = open(vertx, agent);
      if (ending.getKey().equals("signs out")) agent.post("/api/logout", null).expect(204); else ending.getValue().accept(username);
      assertEquals(true, stream.endedWithin(java.time.Duration.ofSeconds(3)), "the stream outlived the session when the user " + ending.getKey());
    }
  }

  @Test
  @DisplayName("a stream ends once its session's absolute lifetime is over, and sends nothing after")
  void streamEndsWhenTheSessionExpires(Vertx vertx) {
    // The clock moves 12 hours for every session in the app: the other methods sign in afresh.
    Agent agent = h.newAgent("ivy.expiry", "agent");
    OpenStream stream = open(vertx, agent);
    h.clock().advance(java.time.Duration.ofHours(12).plusMinutes(1));
    assertEquals(true, stream.endedWithin(LiveEvents.RECHECK.plusSeconds(3)), "the stream outlived its session's 12 hours");
    agent.get("/api/me").expect(401);
  }

  @Test
  @DisplayName("one account holds at most four streams per node: a fifth ends the oldest")
  void streamsPerAccountAreCapped(Vertx vertx) {
    Agent agent = h.newAgent("ivy.capped", "agent");
    java.util.List<OpenStream> streams = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) streams.add(open(vertx, agent));
    assertEquals(true, streams.get(0).endedWithin(java.time.Duration.ofSeconds(3)), "the oldest stream was ended");
    assertEquals(true, streams.get(1).endedWithin(java.time.Duration.ofSeconds(3)), "the second oldest stream was ended");
    for (int i = 2; i < 6; i++) assertEquals(false, streams.get(i).endedWithin(java.time.Duration.ofMillis(200)), "stream " + i + " stays");
  }

  @Test
  @DisplayName("a stream whose connection closes while its access is checked leaves nothing behind")
  void abortedStreamsLeaveNoConsumers(Vertx vertx) throws Exception {
    Agent agent = h.newAgent("ivy.aborted", "agent");
    String cookie = agent.cookie();
    int before = consumers(h.vertx(), io.careloop.queue.CaseEvents.CASE_UPDATED);
    for (int i = 0; i < 100; i++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.port())) {
        s.setSoLinger(true, 0);
        s.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: x\r\nCookie: " + cookie + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        // Closed after 0 to 3 ms on purpose, so some closes land while the stream's access is being checked.
        if (i % 4 != 0) Thread.sleep(i % 4);
      }
    }
    eventually("every aborted stream let go of its consumers", java.time.Duration.ofSeconds(10),
      () -> consumers(h.vertx(), io.careloop.queue.CaseEvents.CASE_UPDATED) <= before);
  }

  /** Consumers registered at an address of this Vert.x (the event bus has no public count). */
  static int consumers(Vertx vertx, String address) {
    try {
      var f = io.vertx.core.eventbus.impl.EventBusImpl.class.getDeclaredField("handlerMap");
      f.setAccessible(true);
      Object seq = ((Map<?, ?>) f.get(vertx.eventBus())).get(address);
      return seq == null ? 0 : ((io.vertx.core.impl.utils.ConcurrentCyclicSequence<?>) seq).size();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
