package io.careloop.queue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.careloop.queue.SlaEvent.Kind.*;
import static org.junit.jupiter.api.Assertions.*;

@DisplayName("SLA event rules")
class SlaRulesTest {
  final Instant warnAt = Instant.parse("2026-11-23T10:45:00Z");
  final Instant dueAt = Instant.parse("2026-11-23T11:00:00Z");
  final SlaRules.Clock running = new SlaRules.Clock(true, warnAt, dueAt, false, false);

  @Test
  @DisplayName("nothing before the warning time; a warning from it; a breach from the deadline")
  void scan() {
    assertEquals(List.of(), SlaRules.onScan(running, warnAt.minusSeconds(1)));
    assertEquals(List.of(warning), SlaRules.onScan(running, warnAt));
    assertEquals(List.of(warning, breached), SlaRules.onScan(running, dueAt), "a scan that slept through both records both");
  }

  @Test
  @DisplayName("each is recorded once: a warned clock does not warn again, a breached one does not breach again")
  void once() {
    SlaRules.Clock warned = new SlaRules.Clock(true, warnAt, dueAt, true, false);
    assertEquals(List.of(), SlaRules.onScan(warned, warnAt.plusSeconds(60)));
    assertEquals(List.of(breached), SlaRules.onScan(warned, dueAt.plusSeconds(1)));
    SlaRules.Clock breachedClock = new SlaRules.Clock(true, warnAt, dueAt, true, true);
    assertEquals(List.of(), SlaRules.onScan(breachedClock, dueAt.plusSeconds(3600)));
  }

  @Test
  @DisplayName("a paused clock (replied, waiting on the customer) and a stopped one (resolved) never warn or breach")
  void pausedAndStopped() {
    SlaRules.Clock paused = new SlaRules.Clock(false, warnAt, dueAt, false, false);
    assertEquals(List.of(), SlaRules.onScan(paused, dueAt.plusSeconds(86_400)));
    assertEquals(List.of(), SlaRules.onReply(paused), "a second reply answers no clock");
    assertEquals(List.of(), SlaRules.onClose(paused), "nothing to stop");
  }

  @Test
  @DisplayName("a reply fulfils and pauses a running clock, met when confirmed by the deadline")
  void reply() {
    assertEquals(List.of(fulfilled, paused), SlaRules.onReply(running));
    assertTrue(SlaRules.met(running, dueAt));
    assertFalse(SlaRules.met(running, dueAt.plusMillis(1)));
  }

  @Test
  @DisplayName("resolving stops a running clock")
  void close() {
    assertEquals(List.of(stopped), SlaRules.onClose(running));
  }

  @Test
  @DisplayName("the customer writing again resumes a replied case's clock as next response; otherwise the clock goes on")
  void customerWrote() {
    assertEquals(List.of(resumed, applied), SlaRules.onCustomerWrote(CaseState.REPLIED));
    assertEquals(List.of(), SlaRules.onCustomerWrote(CaseState.NEW));
    assertEquals(List.of(), SlaRules.onCustomerWrote(CaseState.CLAIMED));
  }
}
