package io.careloop.queue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("SLA deadlines, queue order and case states")
class SlaPolicyTest {
  static Map<Priority, Duration> targets(int urgent, int high, int normal, int low) {
    Map<Priority, Duration> m = new EnumMap<>(Priority.class);
    m.put(Priority.urgent, Duration.ofMinutes(urgent));
    m.put(Priority.high, Duration.ofMinutes(high));
    m.put(Priority.normal, Duration.ofMinutes(normal));
    m.put(Priority.low, Duration.ofMinutes(low));
    return m;
  }

  final SlaPolicy sla = new SlaPolicy(targets(15, 30, 60, 240), targets(10, 20, 40, 120));
  final Instant created = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  @DisplayName("first response is due a target after the mention was written, per priority")
  void firstResponse() {
    assertEquals(Instant.parse("2026-11-23T10:15:00Z"), sla.firstResponseDue(created, Priority.urgent));
    assertEquals(Instant.parse("2026-11-23T11:00:00Z"), sla.firstResponseDue(created, Priority.normal));
    assertEquals(Instant.parse("2026-11-23T14:00:00Z"), sla.firstResponseDue(created, Priority.low));
  }

  @Test
  @DisplayName("next response is due a next-response target after the follow-up")
  void nextResponse() {
    assertEquals(Instant.parse("2026-11-23T10:20:00Z"), sla.nextResponseDue(created, Priority.high));
  }

  @Test
  @DisplayName("a policy missing a priority is refused")
  void missingTarget() {
    Map<Priority, Duration> partial = new EnumMap<>(targets(1, 2, 3, 4));
    partial.remove(Priority.low);
    assertThrows(IllegalArgumentException.class, () -> new SlaPolicy(partial, targets(1, 2, 3, 4)));
  }

  @Test
  @DisplayName("the queue puts waiting cases first, earliest deadline first, then replied, then closed newest first")
  void order() {
    Instant now = created;
    String soon = QueueOrder.key(CaseState.NEW, created.plusSeconds(60), now, "c1");
    String later = QueueOrder.key(CaseState.CLAIMED, created.plusSeconds(600), now, "c2");
    String replied = QueueOrder.key(CaseState.REPLIED, null, now, "c3");
    String closedOld = QueueOrder.key(CaseState.RESOLVED, null, now, "c4");
    String closedNew = QueueOrder.key(CaseState.DISMISSED, null, now.plusSeconds(5), "c5");
    assertTrue(soon.compareTo(later) < 0);
    assertTrue(later.compareTo(replied) < 0);
    assertTrue(replied.compareTo(closedNew) < 0);
    assertTrue(closedNew.compareTo(closedOld) < 0);
    assertTrue(QueueOrder.key(CaseState.NEW, created, now, "c1").compareTo(QueueOrder.key(CaseState.NEW, created, now, "c2")) < 0);
  }

  @Test
  @DisplayName("only new and claimed cases can be claimed; closed cases take no reply")
  void states() {
    assertTrue(CaseState.NEW.claimable());
    assertTrue(CaseState.CLAIMED.claimable());
    assertFalse(CaseState.REPLIED.claimable());
    assertTrue(CaseState.REPLIED.replyable());
    assertFalse(CaseState.RESOLVED.replyable());
    assertFalse(CaseState.DISMISSED.dismissable());
    assertEquals(CaseState.CLAIMED, CaseState.fromWire("claimed"));
    assertEquals("replied", CaseState.REPLIED.wire());
  }
}
