package io.careloop.config;

import io.careloop.queue.Priority;
import io.careloop.queue.SlaBook;
import io.careloop.queue.SlaBookJson;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("The config files: the packaged defaults, the operator's file over them")
class ConfigFileTest {

  @Test
  @DisplayName("an operator's file needs only the keys it changes; every other setting keeps the packaged default")
  void partialFile() throws Exception {
    Settings defaults = Settings.from(new JsonObject(), Map.of("CARELOOP_NODE_ID", "n"));
    Settings changed = Settings.from(new JsonObject().put("x", new JsonObject().put("timeoutMillis", 3000)), Map.of("CARELOOP_NODE_ID", "n"));
    assertEquals(Duration.ofSeconds(3), changed.x().timeout());
    for (var component : Settings.class.getRecordComponents()) {
      // TrustedProxies compares by identity; the x section differs by the key that was set.
      if (component.getName().equals("x") || component.getName().equals("security")) continue;
      assertEquals(component.getAccessor().invoke(defaults), component.getAccessor().invoke(changed), component.getName() + " moved");
    }
    assertEquals(defaults.x().backoff(), changed.x().backoff(), "the rest of the x section kept its defaults");
    assertEquals(Duration.ofSeconds(30), defaults.connections().bodyTimeout());
  }

  @Test
  @DisplayName("the working folder's conf/careloop.json is the packaged one, so a run from the source tree and from the jar agree")
  void sameFileEitherWay() {
    assertEquals(ConfigFile.defaults(), ConfigFile.operatorFile(Map.of()));
  }

  @Test
  @DisplayName("CARELOOP_CONFIG naming a missing file stops the start, naming the file")
  void missingNamedFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");
    var e = assertThrows(IllegalArgumentException.class, () -> Settings.load(Map.of("CARELOOP_CONFIG", missing.toString())));
    assertTrue(e.getMessage().contains("CARELOOP_CONFIG") && e.getMessage().contains("nope.json"), e.getMessage());
  }

  @Test
  @DisplayName("a file that is not JSON, or a key set to a wrong type or to null, is refused naming the file or the key")
  void badFile(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{ \"http\": ");
    var e = assertThrows(IllegalArgumentException.class, () -> Settings.load(Map.of("CARELOOP_CONFIG", broken.toString())));
    assertTrue(e.getMessage().contains("broken.json"), e.getMessage());

    var wrongType = assertThrows(IllegalArgumentException.class,
      () -> Settings.from(new JsonObject().put("http", new JsonObject().put("maxConnections", "many")), Map.of()));
    assertEquals("http.maxConnections (config file) must be a whole number, not many", wrongType.getMessage());
    var unset = assertThrows(IllegalArgumentException.class, () -> Settings.from(new JsonObject().put("x", new JsonObject().putNull("api")), Map.of()));
    assertTrue(unset.getMessage().startsWith("x.api (config file)"), unset.getMessage());
    var tooFew = assertThrows(IllegalArgumentException.class,
      () -> Settings.from(new JsonObject().put("backup", new JsonObject().put("keep", 0)), Map.of()));
    assertTrue(tooFew.getMessage().startsWith("backup.keep (config file) must be at least 1"), tooFew.getMessage());
  }

  @Test
  @DisplayName("a bad variable is named as the operator set it, over the key it overrides")
  void badVariableNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> Settings.from(new JsonObject(), Map.of("CARELOOP_HTTP_MAX_CONNECTIONS", "0")));
    assertEquals("CARELOOP_HTTP_MAX_CONNECTIONS must be at least 1, not 0", e.getMessage());
    var flag = assertThrows(IllegalArgumentException.class, () -> Settings.from(new JsonObject(), Map.of("CARELOOP_DEMO", "yes")));
    assertEquals("CARELOOP_DEMO must be true or false, not yes", flag.getMessage());
    var idle = assertThrows(IllegalArgumentException.class, () -> Settings.from(new JsonObject(), Map.of("CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS", "15")));
    assertTrue(idle.getMessage().startsWith("CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS must be at least 20"), idle.getMessage());
    var session = assertThrows(IllegalArgumentException.class, () -> Settings.from(new JsonObject(), Map.of("CARELOOP_SESSION_IDLE_SECONDS", "soon")));
    assertTrue(session.getMessage().contains("CARELOOP_SESSION_IDLE_SECONDS"), session.getMessage());
  }

  @Test
  @DisplayName("the SLA book of the first start is built by the queue from the sla section: one policy, the configured targets and hours")
  void defaultSlaBook() {
    SlaBook book = SlaBookJson.configured(Settings.from(new JsonObject(), Map.of()).queue().sla());
    assertEquals(1, book.policies().size());
    var policy = book.policies().get(0);
    assertEquals("default", policy.id());
    assertEquals(Duration.ofMinutes(15), policy.firstResponse().get(Priority.urgent));
    assertEquals(Duration.ofMinutes(240), policy.nextResponse().get(Priority.low));
    assertFalse(policy.businessHours());
    assertTrue(policy.escalateOnBreach());
    assertEquals(0.75, policy.warnShare());
    assertEquals(1, book.hours().weekly().get(DayOfWeek.MONDAY).size());
    assertNull(book.hours().weekly().get(DayOfWeek.SATURDAY));

    JsonObject urgentOnly = new JsonObject().put("sla", new JsonObject().put("firstResponseMinutes", new JsonObject().put("urgent", 5)));
    var changed = SlaBookJson.configured(Settings.from(urgentOnly, Map.of()).queue().sla()).policies().get(0);
    assertEquals(Duration.ofMinutes(5), changed.firstResponse().get(Priority.urgent));
    assertEquals(Duration.ofMinutes(30), changed.firstResponse().get(Priority.high), "the other priorities keep their defaults");
  }

  @Test
  @DisplayName("opening hours in a file replace the packaged ones whole: Monday alone means closed the rest of the week")
  void openingHoursReplaceWhole() {
    JsonObject mondays = new JsonObject("{\"sla\": {\"hours\": {\"zone\": \"Europe/Paris\", \"weekly\": {\"MONDAY\": [[\"10:00\", \"12:00\"]]}}}}");
    SlaBook book = SlaBookJson.configured(Settings.from(mondays, Map.of()).queue().sla());
    assertEquals("Europe/Paris", book.hours().zone().getId());
    assertEquals(java.util.Set.of(DayOfWeek.MONDAY), book.hours().weekly().keySet());
  }
}
