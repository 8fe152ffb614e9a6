package io.careloop.web;

import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("TLS from PEM files")
class TlsTest {
  @Test
  @DisplayName("with a certificate and key CareLoop serves HTTPS, marks the session cookie Secure and sends HSTS of a year")
  void https(Vertx vertx, @TempDir Path data) {
    SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "",
        "CARELOOP_TLS_CERT", cert.certificatePath(), "CARELOOP_TLS_KEY", cert.privateKeyPath()))) {
      WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
      var r = https.post(h.port(), "127.0.0.1", "/api/login")
        .sendJsonObject(new JsonObject().put("username", "admin").put("password", Harness.ADMIN_PASSWORD)).await();
      assertEquals(200, r.statusCode());
      String cookie = r.cookies().stream().filter(c -> c.startsWith("careloop.sid=")).findFirst().orElseThrow();
      assertTrue(cookie.toLowerCase().contains("secure"), cookie);
      assertEquals("max-age=31536000; includeSubDomains", r.getHeader("Strict-Transport-Security"));
      WebClient plain = WebClient.create(vertx);
      assertThrows(Exception.class, () -> plain.get(h.port(), "127.0.0.1", "/health/live").send().await(), "no plain HTTP on the TLS port");
    }
  }
}
