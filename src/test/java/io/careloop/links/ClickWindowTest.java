package io.careloop.links;

import io.careloop.support.TestClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("ClickWindow counts one click per visitor and link per window, in bounded memory")
class ClickWindowTest {
  static final Duration WINDOW = Duration.ofMinutes(30);

  @Test
  @DisplayName("the same visitor on the same link counts once within the window, and again once the window has passed")
  void oncePerWindow() {
    TestClock clock = new TestClock();
    ClickWindow w = new ClickWindow(clock, WINDOW, 1000);
    assertTrue(w.firstInWindow("10.0.0.1", "Reader/1", "abcdefgh"));
    for (int i = 0; i < 19; i++) assertFalse(w.firstInWindow("10.0.0.1", "Reader/1", "abcdefgh"));
    clock.advance(Duration.ofMinutes(29));
    assertFalse(w.firstInWindow("10.0.0.1", "Reader/1", "abcdefgh"), "29 minutes later: the same visit");
    clock.advance(Duration.ofMinutes(2));
    assertTrue(w.firstInWindow("10.0.0.1", "Reader/1", "abcdefgh"), "31 minutes after the counted click");
  }

  @Test
  @DisplayName("the window slides across a key rotation: a click counted late in one generation is still remembered in the next")
  void acrossRotation() {
    TestClock clock = new TestClock();
    ClickWindow w = new ClickWindow(clock, WINDOW, 1000);
    assertTrue(w.firstInWindow("10.0.0.9", "Other/1", "zzzzzzzz"), "starts the first generation");
    clock.advance(Duration.ofMinutes(25));
    assertTrue(w.firstInWindow("10.0.0.1", "Reader/1", "abcdefgh"));
    clock.advance(Duration.ofMinutes(10));
    assertFalse(w.firstInWindow("10.0.0.1", "Reader/1", "abcdefgh"), "10 minutes later, in the next generation");
    clock.advance(Duration.ofMinutes(21));
    assertTrue(w.firstInWindow("10.0.0.1", "Reader/1", "abcdefgh"));
    clock.advance(Duration.ofHours(2));
    assertTrue(w.firstInWindow("10.0.0.2", "Reader/1", "abcdefgh"));
    assertEquals(1, w.size(), "generations older than two windows are dropped with their keys");
  }

  @Test
  @DisplayName("another user agent, another address or another link is another click")
  void distinctVisitors() {
    ClickWindow w = new ClickWindow(new TestClock(), WINDOW, 1000);
    assertTrue(w.firstInWindow("10.0.0.1", "Reader/1", "abcdefgh"));
    assertTrue(w.firstInWindow("10.0.0.1", "Reader/2", "abcdefgh"));
    assertTrue(w.firstInWindow("10.0.0.2", "Reader/1", "abcdefgh"));
    assertTrue(w.firstInWindow("10.0.0.1", "Reader/1", "bcdefghi"));
    assertTrue(w.firstInWindow("10.0.0.1", null, "abcdefgh"), "no user agent is a user agent of its own");
    assertFalse(w.firstInWindow("10.0.0.1", "", "abcdefgh"), "absent and empty are the same");
    assertTrue(w.firstInWindow("10.0.0.1Reader/1", "", "abcdefgh"), "fields cannot run into each other");
  }

  @Test
  @DisplayName("memory is capped: past the cap the oldest hashes are forgotten, never more than the cap kept")
  void capped() {
    ClickWindow w = new ClickWindow(new TestClock(), WINDOW, 100);
    for (int i = 0; i < 1000; i++) assertTrue(w.firstInWindow("10.0.0." + i, "Flood/1", "abcdefgh"));
    assertEquals(100, w.size());
    assertFalse(w.firstInWindow("10.0.0.999", "Flood/1", "abcdefgh"), "the newest are remembered");
    assertTrue(w.firstInWindow("10.0.0.0", "Flood/1", "abcdefgh"), "the oldest were forgotten");
  }
}
