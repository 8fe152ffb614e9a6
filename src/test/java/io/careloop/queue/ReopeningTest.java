package io.careloop.queue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Reopening: when a close may be undone, and which cases reopen")
class ReopeningTest {
  static final Instant CLOSED = Instant.parse("2026-12-02T10:00:00Z");

  static Reopening.Snapshot snapshot(Instant usedAt) {
    return new Reopening.Snapshot("tok", CaseState.DISMISSED, "alice", CLOSED, CLOSED.plus(Reopening.UNDO_WINDOW), usedAt,
      CaseState.CLAIMED, null, null, CLOSED.plusSeconds(600), CLOSED.minusSeconds(60), "o", null, true, 0);
  }

  static Reopening.Verdict undo(Reopening.Snapshot s, String token, String agent, Instant now, CaseState state, Instant updatedAt) {
    return Reopening.undo(s, token, agent, now, state, updatedAt);
  }

  @Test
  @DisplayName("the closer may undo with the latest token within 30 seconds, while the case is as the close left it")
  void allowed() {
    assertEquals(Reopening.Verdict.OK, undo(snapshot(null), "tok", "alice", CLOSED.plusSeconds(29), CaseState.DISMISSED, CLOSED));
    assertEquals(Reopening.Verdict.OK, undo(snapshot(null), "tok", "alice", CLOSED.plus(Reopening.UNDO_WINDOW), CaseState.DISMISSED, CLOSED));
  }

  @Test
  @DisplayName("an unknown, used, late or colleague's token is refused, and so is a case written since")
  void refused() {
    assertEquals(Reopening.Verdict.UNKNOWN, undo(null, "tok", "alice", CLOSED, CaseState.DISMISSED, CLOSED));
    assertEquals(Reopening.Verdict.UNKNOWN, undo(snapshot(null), "other", "alice", CLOSED, CaseState.DISMISSED, CLOSED));
    assertEquals(Reopening.Verdict.USED, undo(snapshot(CLOSED.plusSeconds(1)), "tok", "alice", CLOSED.plusSeconds(2), CaseState.DISMISSED, CLOSED));
    assertEquals(Reopening.Verdict.EXPIRED, undo(snapshot(null), "tok", "alice", CLOSED.plus(Reopening.UNDO_WINDOW).plusMillis(1), CaseState.DISMISSED, CLOSED));
    assertEquals(Reopening.Verdict.NOT_YOURS, undo(snapshot(null), "tok", "bob", CLOSED, CaseState.DISMISSED, CLOSED));
    assertEquals(Reopening.Verdict.CHANGED_SINCE, undo(snapshot(null), "tok", "alice", CLOSED, CaseState.DISMISSED, CLOSED.plusSeconds(3)));
    assertEquals(Reopening.Verdict.CHANGED_SINCE, undo(snapshot(null), "tok", "alice", CLOSED, CaseState.NEW, CLOSED));
    assertEquals("changed-since", Reopening.Verdict.CHANGED_SINCE.code());
  }

  @Test
  @DisplayName("only dismissed and resolved cases reopen")
  void reopenable() {
    assertTrue(Reopening.reopenable(CaseState.DISMISSED));
    assertTrue(Reopening.reopenable(CaseState.RESOLVED));
    for (CaseState open : CaseState.OPEN) assertFalse(Reopening.reopenable(open), open.wire());
  }

  @Test
  @DisplayName("a stop after an undo gets a round of its own in the event id, the first keeps the old id; tokens are unguessable and URL-safe")
  void roundsAndTokens() {
    assertEquals("", Reopening.round(0));
    assertEquals("|r2", Reopening.round(2));
    String a = Reopening.newToken();
    assertEquals(24, a.length());
    assertTrue(a.matches("[A-Za-z0-9_-]+"));
    assertNotEquals(a, Reopening.newToken());
    assertEquals(Duration.ofSeconds(30), Reopening.UNDO_WINDOW);
  }
}
