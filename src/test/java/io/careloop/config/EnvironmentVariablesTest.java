package io.careloop.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Every documented CARELOOP_* variable reaches its setting")
class EnvironmentVariablesTest {
  @TempDir static Path dir;

  /** A variable set to a valid value that is not the default, what it must change, to what, and what else it needs set. */
  record Case(String variable, String value, Function<Settings, Object> setting, Object expected, Map<String, String> with) {
    Case(String variable, String value, Function<Settings, Object> setting, Object expected) {
      this(variable, value, setting, expected, Map.of());
    }
  }

  static final Map<String, Case> CASES = new LinkedHashMap<>();

  static void add(Case c) { CASES.put(c.variable(), c); }

  @BeforeAll
  static void cases() throws IOException {
    add(new Case("CARELOOP_HTTP_PORT", "9191", Settings::httpPort, 9191));
    add(new Case("CARELOOP_HTTP_HOST", "127.0.0.1", s -> s.connections().host(), "127.0.0.1"));
    add(new Case("CARELOOP_HTTP_MAX_CONNECTIONS", "100", s -> s.connections().maxConnections(), 100));
    add(new Case("CARELOOP_HTTP_MAX_CONNECTIONS_PER_ADDRESS", "10", s -> s.connections().maxConnectionsPerAddress(), 10));
    add(new Case("CARELOOP_HTTP_HEADER_TIMEOUT_SECONDS", "5", s -> s.connections().headerTimeout(), Duration.ofSeconds(5)));
    add(new Case("CARELOOP_HTTP_BODY_TIMEOUT_SECONDS", "15", s -> s.connections().bodyTimeout(), Duration.ofSeconds(15)));
    add(new Case("CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS", "90", s -> s.connections().idleTimeout(), Duration.ofSeconds(90)));
    add(new Case("CARELOOP_TRUSTED_PROXIES", "10.0.0.5, 192.168.0.0/16",
      s -> s.security().trustedProxies().contains(TrustedProxies.literal("192.168.7.1")), true));
    add(new Case("CARELOOP_METRICS_TOKEN", "scrape-secret-0123456789", s -> s.security().metricsToken(), "scrape-secret-0123456789"));
    add(new Case("CARELOOP_PUBLIC_URL", "https://care.example.com/", Settings::publicUrl, "https://care.example.com"));
    add(new Case("CARELOOP_TLS_CERT", "/etc/careloop/cert.pem", s -> s.tls().certPath(), "/etc/careloop/cert.pem"));
    add(new Case("CARELOOP_TLS_KEY", "/etc/careloop/key.pem", s -> s.tls().keyPath(), "/etc/careloop/key.pem"));

    add(new Case("CARELOOP_DATA_DIR", "/var/lib/careloop", Settings::dataDir, Path.of("/var/lib/careloop")));
    add(new Case("CARELOOP_MONGO_URI", "mongodb://db:27017/?replicaSet=rs0", s -> s.mongo().uri(), "mongodb://db:27017/?replicaSet=rs0"));
    add(new Case("CARELOOP_BACKUP_DIR", "/mnt/backups", s -> s.backup().dir(), Path.of("/mnt/backups")));
    add(new Case("CARELOOP_BACKUP_KEEP", "3", s -> s.backup().keep(), 3));
    add(new Case("CARELOOP_BACKUP_EVERY_HOURS", "6", s -> s.backup().everyHours(), 6));

    add(new Case("CARELOOP_DEMO", "false", Settings::demo, false));
    add(new Case("CARELOOP_DEMO_HISTORY", "false", Settings::demoHistory, false));
    add(new Case("CARELOOP_X_BASE_URL", "http://127.0.0.1:1234/", s -> s.x().baseUrl(), "http://127.0.0.1:1234"));
    add(new Case("CARELOOP_X_API", "v1.1", s -> s.x().api(), "v1.1"));
    add(new Case("CARELOOP_POLL_SECONDS", "7", s -> s.x().pollInterval(), Duration.ofSeconds(7)));
    add(new Case("CARELOOP_X_MONTHLY_READ_CAP", "1000000", Settings::monthlyReadCap, 1_000_000L));
    add(new Case("CARELOOP_X_BEARER_TOKEN", "a-bearer", s -> s.x().credentials().bearerToken(), "a-bearer"));
    add(new Case("CARELOOP_X_CONSUMER_KEY", "a-key", s -> s.x().credentials().consumerKey(), "a-key"));
    add(new Case("CARELOOP_X_CONSUMER_SECRET", "a-secret", s -> s.x().credentials().consumerSecret(), "a-secret"));
    add(new Case("CARELOOP_X_ACCESS_TOKEN", "a-token", s -> s.x().credentials().accessToken(), "a-token"));
    add(new Case("CARELOOP_X_ACCESS_TOKEN_SECRET", "a-token-secret", s -> s.x().credentials().accessTokenSecret(), "a-token-secret"));
    // The family CARELOOP_X_BRAND_<HANDLE>_ACCESS_TOKEN(_SECRET), by one representative.
    add(new Case("CARELOOP_X_BRAND_SHOP_HELP_ACCESS_TOKEN", "help-token", s -> s.x().credentials().brandTokens().get("shop_help"),
      new Settings.UserToken("help-token", "help-secret"), Map.of("CARELOOP_X_BRAND_SHOP_HELP_ACCESS_TOKEN_SECRET", "help-secret")));

    add(new Case("CARELOOP_BRAND_HANDLE", "@ShopCo", s -> s.brand().handle(), "ShopCo"));
    add(new Case("CARELOOP_BRAND_USER_ID", "42", s -> s.brand().userId(), "42"));
    add(new Case("CARELOOP_BRAND_NAME", "Shop Co", s -> s.brand().name(), "Shop Co"));
    add(new Case("CARELOOP_BRAND_KEYWORDS", "shop co, shopco ,", s -> s.brand().keywords(), List.of("shop co", "shopco")));

    add(new Case("CARELOOP_ADMIN_PASSWORD", "a long admin password", Settings::adminPassword, "a long admin password"));
    add(new Case("CARELOOP_SESSION_IDLE_SECONDS", "3", Settings::sessionIdle, Duration.ofSeconds(3)));

    add(new Case("CARELOOP_CLUSTER", "true", s -> s.cluster().clustered(), true));
    add(new Case("CARELOOP_NODE_ID", "care-9", s -> s.cluster().nodeId(), "care-9"));
    add(new Case("CARELOOP_CLUSTER_HOST", "10.0.0.11", s -> s.cluster().host(), "10.0.0.11"));
    add(new Case("CARELOOP_CLUSTER_PORT", "5801", s -> s.cluster().port(), 5801));
    add(new Case("CARELOOP_CLUSTER_BUS_PORT", "5810", s -> s.cluster().busPort(), 5810));
    add(new Case("CARELOOP_CLUSTER_MEMBERS", "10.0.0.11:5801,10.0.0.12:5801", s -> s.cluster().members(), List.of("10.0.0.11:5801", "10.0.0.12:5801")));
    add(new Case("CARELOOP_LEASE_SECONDS", "8", s -> s.cluster().leaseTtl(), Duration.ofSeconds(8)));
    add(new Case("CARELOOP_SERVE_DATABASE", "127.0.0.1:27018", s -> s.cluster().serveDatabase(), "127.0.0.1:27018",
      Map.of("CARELOOP_SERVE_DATABASE_PASSWORD", "a-long-demo-password")));
    add(new Case("CARELOOP_SERVE_DATABASE_PASSWORD", "a-long-demo-password", s -> s.cluster().serveDatabasePassword(), "a-long-demo-password"));
    // Without it a database served beyond loopback is refused; with it, served.
    add(new Case("CARELOOP_SERVE_DATABASE_INSECURE", "true", s -> s.cluster().serveDatabase(), "192.0.2.10:27018",
      Map.of("CARELOOP_SERVE_DATABASE", "192.0.2.10:27018", "CARELOOP_SERVE_DATABASE_PASSWORD", "a-long-demo-password")));

    Path config = Files.writeString(dir.resolve("careloop.json"), "{\"status\": {\"windowDays\": 30}}");
    add(new Case("CARELOOP_CONFIG", config.toString(), s -> s.status().windowDays(), 30));
    Path secrets = Files.writeString(dir.resolve("careloop.secrets"), "CARELOOP_X_BEARER_TOKEN=from-the-secrets-file\n");
    add(new Case("CARELOOP_SECRETS_FILE", secrets.toString(), s -> s.x().credentials().bearerToken(), "from-the-secrets-file"));
  }

  @TestFactory
  @DisplayName("each variable, set to a valid value other than the default, changes its setting to that value")
  Stream<DynamicTest> eachVariableChangesItsSetting() {
    return CASES.values().stream().map(c -> DynamicTest.dynamicTest(c.variable() + "=" + c.value(), () -> {
      Object before = observe(c, c.with());
      Map<String, String> env = new HashMap<>(c.with());
      env.put(c.variable(), c.value());
      Object after = observe(c, env);
      assertNotEquals(before, after, c.variable() + " left its setting as it was: is it still read?");
      assertEquals(c.expected(), after, c.variable());
    }));
  }

  /** The setting under this environment, or the refusal when the settings do not load. */
  private static Object observe(Case c, Map<String, String> env) {
    try {
      return c.setting().apply(Settings.load(env));
    } catch (IllegalArgumentException e) {
      return "refused: " + e.getMessage();
    }
  }

  @Test
  @DisplayName("every CARELOOP_* variable that the README or the product brief names has a case above")
  void everyDocumentedVariableHasACase() throws IOException {
    Set<String> documented = new TreeSet<>(named(Files.readString(Path.of("README.md"))));
    // The brief sits beside the repository in the work folder and in CI; its section 4 names the contract.
    Path brief = Path.of("..", "shared", "PRODUCT.md");
    if (Files.exists(brief)) documented.addAll(named(Files.readString(brief)));
    assertTrue(documented.contains("CARELOOP_HTTP_PORT"), "the README was read: " + documented);
    for (String name : documented) {
      // CARELOOP_BRAND_* or CARELOOP_X_BRAND_<HANDLE>_…: a family, covered by any case of it.
      boolean family = name.endsWith("_");
      assertTrue(family ? CASES.keySet().stream().anyMatch(v -> v.startsWith(name)) : CASES.containsKey(name),
        name + " is documented but has no case here: add one that sets it and checks its setting");
    }
  }

  @Test
  @DisplayName("every variable CareLoop reads has a case above, documented or not")
  void everyReadVariableHasACase() {
    for (Variable v : Variable.values()) {
      assertTrue(CASES.containsKey(v.name()), v.name() + " is read but has no case here");
    }
  }

  private static Set<String> named(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("CARELOOP_[A-Z0-9_]*").matcher(text);
    while (m.find()) {
      if (!Objects.equals(m.group(), "CARELOOP_")) names.add(m.group());
    }
    return names;
  }
}
