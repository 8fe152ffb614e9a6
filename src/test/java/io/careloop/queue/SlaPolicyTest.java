package io.careloop.queue;

import io.careloop.errors.Invalid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("SLA policies, deadlines, queue order and case states")
class SlaPolicyTest {
  static Map<Priority, Duration> targets(int urgent, int high, int normal, int low) {
    Map<Priority, Duration> m = new EnumMap<>(Priority.class);
    m.put(Priority.urgent, Duration.ofMinutes(urgent));
    m.put(Priority.high, Duration.ofMinutes(high));
    m.put(Priority.normal, Duration.ofMinutes(normal));
    m.put(Priority.low, Duration.ofMinutes(low));
    return m;
  }

  static final ZoneId UTC = ZoneId.of("UTC");
  final BusinessHours office = BusinessHoursTest.weekdays(UTC, "09:00", "17:00");
  final SlaPolicy vip = new SlaPolicy("vip", "Large audiences", new SlaPolicy.Conditions(Set.of(), Set.of(), List.of(), 10_000),
    targets(5, 10, 15, 30), targets(5, 10, 15, 30), false, 0.5, true);
  final SlaPolicy refunds = new SlaPolicy("refunds", "Refunds in office hours", new SlaPolicy.Conditions(Set.of(Priority.high), Set.of(), List.of("refund"), 0),
    targets(60, 120, 240, 480), targets(60, 60, 60, 60), true, 0.75, false);
  final SlaPolicy fallback = new SlaPolicy("default", "Every case", SlaPolicy.Conditions.ALWAYS,
    targets(15, 30, 60, 240), targets(10, 20, 40, 120), false, 0.75, false);
  final SlaBook book = new SlaBook(List.of(vip, refunds, fallback), office);
  final Instant mondayTen = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  @DisplayName("the first policy whose conditions all hold applies")
  void firstMatchWins() {
    assertEquals("vip", book.policyFor(new SlaPolicy.CaseFacts(Priority.high, "s", "refund please", 50_000)).id());
    assertEquals("refunds", book.policyFor(new SlaPolicy.CaseFacts(Priority.high, "s", "I want a REFUND", 10)).id());
    assertEquals("default", book.policyFor(new SlaPolicy.CaseFacts(Priority.normal, "s", "I want a refund", 10)).id());
    assertEquals("default", book.policyFor(new SlaPolicy.CaseFacts(Priority.high, "s", "it is down", 10)).id());
  }

  @Test
  @DisplayName("calendar deadlines: due a target after the clock started, warning at the policy's share")
  void calendarDeadline() {
    SlaBook.Deadline d = book.deadline(SlaMetric.FIRST_RESPONSE, new SlaPolicy.CaseFacts(Priority.normal, "s", "how?", 10), mondayTen);
    assertEquals(mondayTen.plus(Duration.ofMinutes(60)), d.dueAt());
    assertEquals(mondayTen.plus(Duration.ofMinutes(45)), d.warnAt());
    assertEquals("default", d.policyId());
    SlaBook.Deadline next = book.deadline(SlaMetric.NEXT_RESPONSE, new SlaPolicy.CaseFacts(Priority.normal, "s", "and?", 10), mondayTen);
    assertEquals(mondayTen.plus(Duration.ofMinutes(40)), next.dueAt());
    SlaBook.Deadline loud = book.deadline(SlaMetric.FIRST_RESPONSE, new SlaPolicy.CaseFacts(Priority.low, "s", "hi", 20_000), mondayTen);
    assertEquals(mondayTen.plus(Duration.ofMinutes(15)), loud.warnAt(), "the VIP policy warns at half time");
    assertTrue(loud.escalateOnBreach());
  }

  @Test
  @DisplayName("business-hours deadlines skip closed time, warnings too")
  void businessDeadline() {
    Instant fridayFour = Instant.parse("2026-11-27T16:00:00Z");
    SlaBook.Deadline d = book.deadline(SlaMetric.FIRST_RESPONSE, new SlaPolicy.CaseFacts(Priority.high, "s", "refund!", 10), fridayFour);
    assertEquals(Instant.parse("2026-11-30T10:00:00Z"), d.dueAt(), "1 h left on Friday, 1 h on Monday");
    assertEquals(Instant.parse("2026-11-30T09:30:00Z"), d.warnAt(), "75% of 2 h = 90 min of open time");
    assertTrue(d.businessHours());
  }

  @Test
  @DisplayName("a policy missing a priority or with a nonsense warning share is refused")
  void invalidPolicies() {
    Map<Priority, Duration> partial = new EnumMap<>(targets(1, 2, 3, 4));
    partial.remove(Priority.low);
    assertThrows(IllegalArgumentException.class, () -> new SlaPolicy("x", "x", SlaPolicy.Conditions.ALWAYS, partial, targets(1, 2, 3, 4), false, 0.75, false));
    assertThrows(IllegalArgumentException.class, () -> new SlaPolicy("x", "x", SlaPolicy.Conditions.ALWAYS, targets(1, 2, 3, 4), targets(1, 2, 3, 4), false, 1.5, false));
  }

  @Test
  @DisplayName("the book round-trips through JSON, and invalid JSON books name what is wrong")
  void json() {
    JsonObject written = SlaBookJson.write(book);
    assertEquals(written, SlaBookJson.write(SlaBookJson.parse(written)));
    JsonObject unknownPriority = written.copy();
    unknownPriority.getJsonArray("policies").getJsonObject(1).getJsonObject("when").put("priorities", new JsonArray().add("asap"));
    Invalid p = assertThrows(Invalid.class, () -> SlaBookJson.parse(unknownPriority));
    assertTrue(p.getMessage().contains("policies[1].when.priorities"), p.getMessage());
    JsonObject badZone = written.copy();
    badZone.getJsonObject("hours").put("zone", "Mars/Olympus");
    assertTrue(assertThrows(Invalid.class, () -> SlaBookJson.parse(badZone)).getMessage().startsWith("hours:"));
    JsonObject dup = written.copy();
    dup.getJsonArray("policies").getJsonObject(1).put("id", "vip");
    assertTrue(assertThrows(Invalid.class, () -> SlaBookJson.parse(dup)).getMessage().contains("duplicate"));
  }

  @Test
  @DisplayName("the queue puts waiting cases first, earliest deadline first, then replied, then closed newest first")
  void order() {
    Instant now = mondayTen;
    String soon = QueueOrder.key(CaseState.NEW, now.plusSeconds(60), now, "c1");
    String later = QueueOrder.key(CaseState.CLAIMED, now.plusSeconds(600), now, "c2");
    String replied = QueueOrder.key(CaseState.REPLIED, null, now, "c3");
    String closedOld = QueueOrder.key(CaseState.RESOLVED, null, now, "c4");
    String closedNew = QueueOrder.key(CaseState.DISMISSED, null, now.plusSeconds(5), "c5");
    assertTrue(soon.compareTo(later) < 0);
    assertTrue(later.compareTo(replied) < 0);
    assertTrue(replied.compareTo(closedNew) < 0);
    assertTrue(closedNew.compareTo(closedOld) < 0);
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
  }
}
