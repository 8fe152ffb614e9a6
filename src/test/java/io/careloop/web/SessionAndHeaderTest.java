package io.careloop.web;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Idle sessions expire; CR/LF in a request never reaches a response header")
class SessionAndHeaderTest {

  @Test
  @DisplayName("a session left idle past the timeout is gone (401), one in use stays")
  void idleTimeout(Vertx vertx, @TempDir Path data) throws Exception {
    // The production timeout is 30 minutes (WebServer takes it from Settings); here 2 seconds, to watch it happen.
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_SESSION_IDLE_SECONDS", "2"))) {
      h.newAgent("idle", "agent");
      h.newAgent("busy", "agent");
      Agent idle = Agent.login(vertx, h.port(), "idle", "idle-long-password");
      Agent busy = Agent.login(vertx, h.port(), "busy", "busy-long-password");
      idle.get("/api/me").expect(200);
      for (int i = 0; i < 4; i++) {
        // Wall-clock on purpose: the idle timeout runs on real time.
        io.careloop.support.Eventually.sleep(java.time.Duration.ofSeconds(1));
        busy.get("/api/me").expect(200);
      }
      assertEquals(401, idle.get("/api/me").status(), "idle for 4 s with a 2 s timeout");
      busy.get("/api/me").expect(200);
    }
  }

  @Test
  @DisplayName("encoded or raw CR/LF in the path, query or headers: a 4xx, and no header of the attacker's in the answer")
  void responseSplitting(Vertx vertx, @TempDir Path data) throws Exception {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      List<String> requests = List.of(
        "GET /l/abc%0d%0aSet-Cookie:%20pwned=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /kb/x%0d%0aSet-Cookie:%20pwned=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /blog/x%0d%0aLocation:%20http://evil HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /kb?x=%0d%0aSet-Cookie:%20pwned=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET /api/me HTTP/1.1\r\nHost: x\r\nX-Evil: a\rSet-Cookie: pwned=1\r\nConnection: close\r\n\r\n",
        "GET /api/me HTTP/1.1\r\nHost: x\r\nX-Evil: a\nSet-Cookie: pwned=1\r\nConnection: close\r\n\r\n",
        "GET /api/me HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n Set-Cookie: pwned=1\r\nConnection: close\r\n\r\n");
      for (String request : requests) {
        String answer = raw(h.port(), request);
        String head = answer.contains("\r\n\r\n") ? answer.substring(0, answer.indexOf("\r\n\r\n")) : answer;
        assertTrue(head.startsWith("HTTP/1.1 4") || head.startsWith("HTTP/1.1 3") && !head.contains("evil"), request + " → " + head);
        assertFalse(head.toLowerCase().contains("pwned"), request + " → " + head);
        assertFalse(head.toLowerCase().contains("location: http://evil"), request + " → " + head);
      }
    }
  }

  static String raw(int port, String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      try {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (java.net.SocketTimeoutException e) {
        return "(no answer in time)";
      }
    }
  }
}
