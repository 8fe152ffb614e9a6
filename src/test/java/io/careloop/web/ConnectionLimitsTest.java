package io.careloop.web;

import io.careloop.support.Eventually;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Clients that connect and then dawdle, over raw sockets: nothing at all, a request head a line at a time, a body that
 * never finishes, a kept-alive connection left idle, and more connections than the cap. Deadlines here are 1 s (head)
 * and 4 s (body); a connection still open after 10 s fails the test, as every one of them did before.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Connections that dawdle are closed; connections beyond the cap are refused")
class ConnectionLimitsTest {
  private static final Duration GIVE_UP = Duration.ofSeconds(10);
  private static Vertx vertx;
  private static Harness h;

  @BeforeAll
  static void start(@TempDir Path data) {
    vertx = Vertx.vertx();
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_HTTP_HEADER_TIMEOUT_SECONDS", "1",
      "CARELOOP_HTTP_BODY_TIMEOUT_SECONDS", "4", "CARELOOP_HTTP_MAX_CONNECTIONS", "6", "CARELOOP_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "4"));
  }

  @AfterAll
  static void stop() {
    h.close();
    vertx.close().await();
  }

  @Test
  @DisplayName("a connection that sends nothing is closed after the header timeout")
  void silentConnection() throws IOException {
    try (Socket s = connect()) {
      assertClosedWithin(s, null);
    }
  }

  @Test
  @DisplayName("a request head sent one header line at a time (slowloris) is cut off at the header timeout")
  void trickledHeaders() throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      assertClosedWithin(s, "X-Slow: still-typing\r\n");
    }
  }

  @Test
  @DisplayName("a body that trickles in is answered 408 with a JSON error, and the connection ends")
  void trickledBody() throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write(("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 200\r\n\r\n{\"username\":").getBytes(StandardCharsets.US_ASCII));
      String answer = assertClosedWithin(s, " ");
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      assertTrue(answer.contains("\"error\":\"request-timeout\""), answer);
    }
  }

  @Test
  @DisplayName("a kept-alive connection left idle after its answer is closed; one that keeps asking is served")
  void keptAliveIdle() throws IOException {
    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < 3; i++) {
        out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = readAnswer(s);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      }
      assertClosedWithin(s, null);
    }
  }

  @Test
  @DisplayName("beyond the connection cap a new connection is closed at once; once some end, new ones are served")
  void connectionCap() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      // Requests kept in progress (a body promised, not sent) hold their connections for the 4 s body timeout; the
      // checks below take at most about 2.5 s of it.
      for (int i = 0; i < 6; i++) held.add(holdOpen(i));
      // A connection of an earlier test that the client has closed may not be released by the server yet, and then
      // one of the six was itself refused (CI saw every seventh served: the six were not six). Each of the six must be
      // open and waiting for its body, or is opened again, before the seventh is tried.
      long settled = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      for (int i = 0; i < held.size(); i++) {
        while (!waitingForBody(held.get(i))) {
          assertTrue(System.nanoTime() < settled, "one of the six connections was refused for 5 s; earlier ones were never released");
          held.get(i).close();
          Eventually.sleep(Duration.ofMillis(100));
          held.set(i, holdOpen(i));
        }
      }
      // The server has no count to read, and on a loaded machine it may not have taken the six in yet when a seventh
      // arrives (a fixed 200 ms wait failed under CI load): a seventh is tried until one is refused, within the six's
      // 4 s body timeout (after it they may rightly be gone). With no
      // cap every try is served, and the test fails as before.
      long until = System.nanoTime() + java.time.Duration.ofMillis(1_600).toNanos();
      int served = 0;
      while (true) {
        io.careloop.support.Eventually.sleep(java.time.Duration.ofMillis(200));
        try (Socket extra = connectFrom("127.0.0.7")) {
          extra.setSoTimeout(1_500);
          extra.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          int first;
          try {
            first = extra.getInputStream().read();
          } catch (SocketTimeoutException e) {
            fail("the seventh connection was neither refused nor answered");
            return;
          } catch (IOException reset) {
            first = -1;
          }
          if (first == -1) break;
          served++;
        }
        assertTrue(System.nanoTime() < until, "the seventh connection was served although six were open (" + served + " tries in 1.6 s)");
      }
    } finally {
      for (Socket s : held) s.close();
    }
    WebClient client = WebClient.create(vertx);
    io.careloop.support.Eventually.eventually("a new connection is served once the others closed", Duration.ofSeconds(5),
      () -> client.get(h.port(), "127.0.0.1", "/health/live").send().map(r -> r.statusCode() == 200).otherwise(false).await());
    client.close();
  }

  @Test
  @DisplayName("CARELOOP_HTTP_HOST binds one interface: 127.0.0.1 is served, 127.0.0.2 is not (by default both are)")
  void bindsTheConfiguredHost(@TempDir Path data) throws IOException {
    Vertx other = Vertx.vertx();
    try (Harness bound = Harness.start(other, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_HTTP_HOST", "127.0.0.1"))) {
      try (Socket s = new Socket("127.0.0.1", bound.port())) {
        assertTrue(s.isConnected());
      }
      assertThrows(ConnectException.class, () -> new Socket("127.0.0.2", bound.port()).close());
    } finally {
      other.close().await();
    }
    try (Socket s = new Socket("127.0.0.2", h.port())) {
      assertTrue(s.isConnected(), "the default binds every interface");
    }
  }

  @Test
  @DisplayName("behind a TLS proxy (an https public URL) the session cookie is Secure and HSTS is sent")
  void httpsPublicUrl(@TempDir Path data) {
    Vertx other = Vertx.vertx();
    try (Harness proxied = Harness.start(other, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_PUBLIC_URL", "https://care.example.com"))) {
      var r = proxied.http().post(proxied.port(), "127.0.0.1", "/api/login")
        .sendJsonObject(new JsonObject().put("username", "admin").put("password", Harness.ADMIN_PASSWORD)).await();
      assertEquals(200, r.statusCode());
      String cookie = r.cookies().stream().filter(c -> c.startsWith("careloop.sid=")).findFirst().orElseThrow();
      assertTrue(cookie.toLowerCase().contains("secure"), cookie);
      assertEquals("max-age=31536000; includeSubDomains", r.getHeader("Strict-Transport-Security"));
    } finally {
      other.close().await();
    }
  }

  @Test
  @DisplayName("one address that keeps its connections busy holds at most its share; another address is still served")
  void capPerAddress() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      // Each held connection asks for something every 0.5 s, within the header timeout: busy, not idle.
      for (int i = 0; i < 5; i++) held.add(connectFrom("127.0.0.2"));
      int servedToAttacker = 0;
      for (Socket s : held) {
        s.setSoTimeout(1_500);
        try {
          s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          if (readAnswer(s).startsWith("HTTP/1.1 200")) servedToAttacker++;
        } catch (IOException refused) {
          // closed at once: over the cap for its address
        }
      }
      assertEquals(4, servedToAttacker, "connections served to one address (cap 4)");
      try (Socket other = connect()) {
        other.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(readAnswer(other).startsWith("HTTP/1.1 200"), "another address is served");
      }
    } finally {
      for (Socket s : held) s.close();
    }
  }

  /** Opens connection {@code i} of the six and sends a head that promises a body it never sends. */
  private static Socket holdOpen(int i) throws IOException {
    // From two addresses, as the cap per address (4) would stop one of them first.
    Socket s = connectFrom(i % 2 == 0 ? "127.0.0.5" : "127.0.0.6");
    s.getOutputStream().write(("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      + "Content-Length: 10\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  /** True when the server keeps {@code s} open without answering (a refused one reads end of stream at once). */
  private static boolean waitingForBody(Socket s) throws IOException {
    s.setSoTimeout(150);
    try {
      if (s.getInputStream().read() == -1) return false;
      fail("a connection waiting for its body was answered");
      return false;
    } catch (SocketTimeoutException open) {
      return true;
    } catch (IOException reset) {
      return false;
    }
  }

  private static Socket connectFrom(String local) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(local, 0));
    s.connect(new InetSocketAddress("127.0.0.1", h.port()), 2_000);
    return s;
  }

  private static Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", h.port()), 2_000);
    return s;
  }

  /**
   * Waits for the server to close the connection, writing {@code drip} every 300 ms if given; returns what it said
   * first. Fails when the connection is still open after {@link #GIVE_UP}.
   */
  private static String assertClosedWithin(Socket s, String drip) throws IOException {
    s.setSoTimeout(300);
    InputStream in = s.getInputStream();
    StringBuilder said = new StringBuilder();
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    byte[] buf = new byte[4096];
    while (System.nanoTime() < deadline) {
      if (drip != null) {
        try {
          s.getOutputStream().write(drip.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closed) {
          return said.toString();
        }
      }
      try {
        int n = in.read(buf);
        if (n < 0) return said.toString();
        said.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      } catch (SocketTimeoutException stillOpen) {
        // keep waiting
      } catch (IOException reset) {
        return said.toString();
      }
    }
    fail("the connection was still open after " + GIVE_UP.toSeconds() + " s; it said: " + said);
    return said.toString();
  }

  /** One HTTP/1.1 answer with a Content-Length body. */
  private static String readAnswer(Socket s) throws IOException {
    s.setSoTimeout(5_000);
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed mid-answer: " + head);
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
    }
    byte[] body = in.readNBytes(length);
    return head + new String(body, StandardCharsets.UTF_8);
  }
}
