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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(VertxExtension.class)
@DisplayName("Live updates to the console by server-sent events")
class LiveEventsTest {

  @Test
  @DisplayName("a signed-in console hears of a new case and of each poll; an anonymous one is refused")
  void pushesCaseAndSourceEvents(Vertx vertx, VertxTestContext test, @TempDir Path data) throws Exception {
    Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    Agent agent = h.newAgent("ivy", "agent");
    var stored = agent.client().cookieStore().get(false, "127.0.0.1", "/").iterator().next();
    String cookie = stored.name() + "=" + stored.value();
    HttpClient http = vertx.createHttpClient();

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
    h.close();
    assertEquals(true, done, "events seen: " + seen);
  }
}
