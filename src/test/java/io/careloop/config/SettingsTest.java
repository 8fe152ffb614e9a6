package io.careloop.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Settings from the config file and CARELOOP_* variables")
class SettingsTest {
  final JsonObject file = ConfigFile.defaults();

  @Test
  @DisplayName("with no credentials CareLoop runs the demo, polling every 2 s, on port 8080 with the embedded database")
  void defaults() {
    Settings s = Settings.from(file, Map.of());
    assertTrue(s.demo());
    assertEquals(8080, s.httpPort());
    assertEquals(2, s.x().pollInterval().toSeconds());
    assertTrue(s.mongo().embedded());
    assertEquals(Path.of("./data"), s.dataDir());
    assertEquals("http://localhost:8080", s.publicUrl());
    assertEquals("v2", s.x().api());
  }

  @Test
  @DisplayName("credentials turn the demo off and the poll interval to 60 s; variables override the file")
  void overrides() {
    Settings s = Settings.from(file, Map.of(
      "CARELOOP_X_BEARER_TOKEN", "secret-bearer",
      "CARELOOP_HTTP_PORT", "9090",
      "CARELOOP_X_BASE_URL", "http://127.0.0.1:1234/",
      "CARELOOP_X_API", "v1.1",
      "CARELOOP_BRAND_HANDLE", "@Shop",
      "CARELOOP_BRAND_KEYWORDS", "shop co, shopco ,",
      "CARELOOP_MONGO_URI", "mongodb://user:pw@db:27017/?replicaSet=rs0"));
    assertFalse(s.demo());
    assertEquals(60, s.x().pollInterval().toSeconds());
    assertEquals(9090, s.httpPort());
    assertEquals("http://127.0.0.1:1234", s.x().baseUrl());
    assertTrue(s.x().v1());
    assertEquals("Shop", s.brand().handle());
    assertEquals(java.util.List.of("shop co", "shopco"), s.brand().keywords());
    assertFalse(s.mongo().embedded());
    assertEquals("http://localhost:9090", s.publicUrl());
  }

  @Test
  @DisplayName("secrets never appear in the printed settings")
  void noSecretsPrinted() {
    Settings s = Settings.from(file, Map.of("CARELOOP_X_BEARER_TOKEN", "secret-bearer", "CARELOOP_ADMIN_PASSWORD", "admin-secret-pw",
      "CARELOOP_MONGO_URI", "mongodb://user:pw@db:27017"));
    String printed = s.toString() + s.x().toString() + s.x().credentials();
    assertFalse(printed.contains("secret-bearer"));
    assertFalse(printed.contains("admin-secret-pw"));
    assertFalse(printed.contains("pw@"));
  }

  @Test
  @DisplayName("a secrets file outside the repository supplies credentials; the environment wins; inside a repository it is refused")
  void secretsFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path secrets = dir.resolve("careloop.secrets");
    java.nio.file.Files.writeString(secrets, "# X app\nCARELOOP_X_BEARER_TOKEN=from-file\nCARELOOP_ADMIN_PASSWORD=file-password-123\n");
    Map<String, String> env = SecretsFile.under(Map.of(Settings.SECRETS_FILE_ENV, secrets.toString(), "CARELOOP_ADMIN_PASSWORD", "env-wins-password"));
    assertEquals("from-file", env.get("CARELOOP_X_BEARER_TOKEN"));
    assertEquals("env-wins-password", env.get("CARELOOP_ADMIN_PASSWORD"));
    assertFalse(Settings.from(file, env).demo(), "credentials from the file turn the demo off");

    java.nio.file.Files.writeString(secrets, "CARELOOP_X_BRAND_ACME_HELP_ACCESS_TOKEN=help-token\nCARELOOP_X_BRAND_ACME_HELP_ACCESS_TOKEN_SECRET=help-secret\n");
    var tokens = Settings.from(file, SecretsFile.under(Map.of(Settings.SECRETS_FILE_ENV, secrets.toString()))).x().credentials().brandTokens();
    assertEquals(new Settings.UserToken("help-token", "help-secret"), tokens.get("acme_help"), "a further brand's posting token, by lower-case handle");
    assertFalse(tokens.toString().contains("help-"), "never printed");
    var half = assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_X_BRAND_MAIL_ACCESS_TOKEN", "t")));
    assertTrue(half.getMessage().contains("CARELOOP_X_BRAND_MAIL_ACCESS_TOKEN_SECRET"), half.getMessage());

    java.nio.file.Files.writeString(secrets, "CARELOOP_HTTP_PORT=1\n");
    assertThrows(IllegalArgumentException.class, () -> SecretsFile.under(Map.of(Settings.SECRETS_FILE_ENV, secrets.toString())));

    Path repo = java.nio.file.Files.createDirectories(dir.resolve("repo/.git")).getParent();
    Path inside = repo.resolve("secrets.env");
    java.nio.file.Files.writeString(inside, "CARELOOP_X_BEARER_TOKEN=x\n");
    var e = assertThrows(IllegalArgumentException.class, () -> SecretsFile.under(Map.of(Settings.SECRETS_FILE_ENV, inside.toString())));
    assertTrue(e.getMessage().contains("outside the repository"));
  }

  @Test
  @DisplayName("a bad value names the variable")
  void badValues() {
    var e = assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_HTTP_PORT", "eighty")));
    assertTrue(e.getMessage().contains("CARELOOP_HTTP_PORT"));
    assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_X_API", "v3")));
    assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_POLL_SECONDS", "0")));
    var cap = assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_X_MONTHLY_READ_CAP", "lots")));
    assertTrue(cap.getMessage().contains("CARELOOP_X_MONTHLY_READ_CAP"));
    assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_X_MONTHLY_READ_CAP", "0")));
    assertEquals(1_000_000, Settings.from(file, Map.of("CARELOOP_X_MONTHLY_READ_CAP", "1000000")).monthlyReadCap());
  }

  @Test
  @DisplayName("cluster settings: alone by default; clustered from the environment; bad values name the variable")
  void clusterSettings() {
    Settings alone = Settings.from(file, Map.of("CARELOOP_HTTP_PORT", "8085"));
    assertFalse(alone.cluster().clustered());
    assertTrue(alone.cluster().nodeId().endsWith("-8085"), alone.cluster().nodeId());
    assertEquals(5, alone.cluster().leaseTtl().toSeconds());

    Settings.ClusterSettings c = Settings.from(file, Map.of("CARELOOP_CLUSTER", "true", "CARELOOP_NODE_ID", "care-1",
      "CARELOOP_CLUSTER_HOST", "10.0.0.11", "CARELOOP_CLUSTER_PORT", "5801", "CARELOOP_CLUSTER_BUS_PORT", "5810",
      "CARELOOP_CLUSTER_MEMBERS", "10.0.0.11:5801, 10.0.0.12:5801,,", "CARELOOP_LEASE_SECONDS", "8",
      "CARELOOP_SERVE_DATABASE", "0.0.0.0:27018", "CARELOOP_SERVE_DATABASE_PASSWORD", "a-long-demo-password",
      "CARELOOP_SERVE_DATABASE_INSECURE", "true")).cluster();
    assertEquals(new Settings.ClusterSettings("care-1", true, "10.0.0.11", 5801, 5810, java.util.List.of("10.0.0.11:5801", "10.0.0.12:5801"),
      java.time.Duration.ofSeconds(8), "0.0.0.0:27018", "a-long-demo-password"), c);
    assertFalse(c.toString().contains("a-long-demo-password"), c.toString());

    for (var bad : java.util.List.of(Map.of("CARELOOP_NODE_ID", "care 1"), Map.of("CARELOOP_LEASE_SECONDS", "1"),
      Map.of("CARELOOP_CLUSTER_MEMBERS", "host;rm -rf"), Map.of("CARELOOP_SERVE_DATABASE", "27018"), Map.of("CARELOOP_CLUSTER_PORT", "x"))) {
      var e = assertThrows(IllegalArgumentException.class, () -> Settings.from(file, bad));
      assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
    }
  }

  @Test
  @DisplayName("the embedded database is served only with a password, and beyond loopback only when the operator accepts it is unencrypted")
  void servedDatabaseNeedsPasswordAndLoopback() {
    var noPassword = assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_SERVE_DATABASE", "127.0.0.1:27018")));
    assertTrue(noPassword.getMessage().contains("CARELOOP_SERVE_DATABASE_PASSWORD"), noPassword.getMessage());
    var shortPassword = assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_SERVE_DATABASE", "127.0.0.1:27018",
      "CARELOOP_SERVE_DATABASE_PASSWORD", "short")));
    assertTrue(shortPassword.getMessage().contains("16"), shortPassword.getMessage());
    for (String address : java.util.List.of("0.0.0.0:27018", "192.0.2.10:27018")) {
      var open = assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_SERVE_DATABASE", address,
        "CARELOOP_SERVE_DATABASE_PASSWORD", "a-long-demo-password")));
      assertTrue(open.getMessage().contains("CARELOOP_SERVE_DATABASE_INSECURE"), open.getMessage());
    }
    assertEquals("127.0.0.2:27018", Settings.from(file, Map.of("CARELOOP_SERVE_DATABASE", "127.0.0.2:27018",
      "CARELOOP_SERVE_DATABASE_PASSWORD", "a-long-demo-password")).cluster().serveDatabase());
  }

  @Test
  @DisplayName("the proactive tweet template of the file works; one outside the closed template language stops the start, naming the token")
  void proactiveTweetTemplate() {
    assertEquals("Wondering {{question}} So was one of our customers: {{link}}", Settings.from(file, Map.of()).cycle().proactiveTemplate());
    JsonObject bad = file.copy();
    bad.getJsonObject("cycle").put("proactiveTweet", "{{#*inline \"a\"}}x{{/inline}}{{> a}}{{> a}} {{link}}");
    var e = assertThrows(IllegalArgumentException.class, () -> Settings.from(bad, Map.of()));
    assertTrue(e.getMessage().contains("cycle.proactiveTweet") && e.getMessage().contains("{{#*inline \"a\"}}"), e.getMessage());
  }

  @Test
  @DisplayName("trusted proxies: none by default, from the file or CARELOOP_TRUSTED_PROXIES; a bad entry names the variable")
  void trustedProxies() {
    assertTrue(Settings.from(file, Map.of()).security().trustedProxies().isEmpty(), "by default the TCP peer is the client");
    var fromEnv = Settings.from(file, Map.of("CARELOOP_TRUSTED_PROXIES", "10.0.0.5, 192.168.0.0/16")).security().trustedProxies();
    assertTrue(fromEnv.contains(TrustedProxies.literal("192.168.7.1")));
    assertFalse(fromEnv.contains(TrustedProxies.literal("10.0.0.6")));
    var fromFile = Settings.from(new JsonObject().put("http", new JsonObject().put("trustedProxies", new io.vertx.core.json.JsonArray().add("fd00::/8"))), Map.of())
      .security().trustedProxies();
    assertTrue(fromFile.contains(TrustedProxies.literal("fd00::1")));
    var e = assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_TRUSTED_PROXIES", "lb.internal")));
    assertTrue(e.getMessage().contains("CARELOOP_TRUSTED_PROXIES"), e.getMessage());
  }

  @Test
  @DisplayName("the metrics token: unset leaves /metrics open; a secret from the environment or the secrets file, never printed, at least 16 characters")
  void metricsToken(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    assertNull(Settings.from(file, Map.of()).security().metricsToken());
    Settings s = Settings.from(file, Map.of("CARELOOP_METRICS_TOKEN", "scrape-secret-0123456789"));
    assertEquals("scrape-secret-0123456789", s.security().metricsToken());
    assertFalse((s.toString() + s.security()).contains("scrape-secret"), s.security().toString());
    Path secrets = dir.resolve("careloop.secrets");
    java.nio.file.Files.writeString(secrets, "CARELOOP_METRICS_TOKEN=from-the-secrets-file\n");
    assertEquals("from-the-secrets-file", Settings.load(Map.of(Settings.SECRETS_FILE_ENV, secrets.toString())).security().metricsToken());
    var e = assertThrows(IllegalArgumentException.class, () -> Settings.from(file, Map.of("CARELOOP_METRICS_TOKEN", "short")));
    assertTrue(e.getMessage().contains("CARELOOP_METRICS_TOKEN"), e.getMessage());
  }
}
