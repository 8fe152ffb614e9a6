package io.careloop.accounts;

import io.careloop.support.TestClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Login throttling")
class LoginThrottleTest {
  static final InetAddress HOME = ip("198.51.100.1");
  static final InetAddress OFFICE = ip("198.51.100.2");
  static final InetAddress CAFE = ip("198.51.100.3");
  static final InetAddress GUESSER = ip("203.0.113.66");

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static LoginThrottle.Attempt admitted(LoginThrottle t, String user, InetAddress from) {
    LoginThrottle.Admission a = t.admit(user, from);
    assertInstanceOf(LoginThrottle.Attempt.class, a, () -> user + " from " + from.getHostAddress() + " should be let in");
    return (LoginThrottle.Attempt) a;
  }

  static Duration refused(LoginThrottle t, String user, InetAddress from) {
    LoginThrottle.Admission a = t.admit(user, from);
    assertInstanceOf(LoginThrottle.Refused.class, a, () -> user + " from " + from.getHostAddress() + " should be refused");
    return ((LoginThrottle.Refused) a).retryAfter();
  }

  static void fail(LoginThrottle t, String user, InetAddress from, int times) {
    for (int i = 0; i < times; i++) admitted(t, user, from).failed();
  }

  @Test
  @DisplayName("five free failures, then 1 s doubling, never more than 5 minutes")
  void schedule() {
    assertEquals(Duration.ZERO, LoginThrottle.block(5));
    assertEquals(Duration.ofSeconds(1), LoginThrottle.block(6));
    assertEquals(Duration.ofSeconds(2), LoginThrottle.block(7));
    assertEquals(Duration.ofSeconds(256), LoginThrottle.block(14));
    assertEquals(Duration.ofMinutes(5), LoginThrottle.block(15));
    assertEquals(Duration.ofMinutes(5), LoginThrottle.block(10_000));
  }

  @Test
  @DisplayName("an account is blocked after the free failures, free again when the block ends, and cleared by a success")
  void blocks() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    fail(t, "ann", GUESSER, 5);
    fail(t, "ANN", OFFICE, 1);
    Duration wait = refused(t, "ann", CAFE);
    assertTrue(wait.compareTo(Duration.ZERO) > 0 && wait.compareTo(Duration.ofSeconds(1)) <= 0, wait::toString);
    admitted(t, "bo", CAFE).abandoned();
    clock.advance(Duration.ofMillis(1100));
    admitted(t, "ann", CAFE).succeeded();
    fail(t, "ann", OFFICE, 1);
    admitted(t, "ann", CAFE).abandoned();
  }

  @Test
  @DisplayName("failures older than an hour are forgotten")
  void forgets() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofMinutes(6));
      fail(t, "bo", GUESSER, 1);
    }
    refused(t, "bo", OFFICE);
    clock.advance(Duration.ofMinutes(61));
    fail(t, "bo", OFFICE, 1);
    admitted(t, "bo", CAFE).abandoned();
  }

  @Test
  @DisplayName("an attempt counts before its password is checked: one per account is under way, thirty at once get one check")
  void reservesBeforeTheCheck() {
    LoginThrottle t = new LoginThrottle(new TestClock());
    List<LoginThrottle.Admission> burst = new ArrayList<>();
    for (int i = 0; i < 30; i++) burst.add(t.admit("ann", ip("203.0.113." + (i + 1))));
    assertEquals(1, burst.stream().filter(a -> a instanceof LoginThrottle.Attempt).count());
    burst.stream().filter(a -> a instanceof LoginThrottle.Refused)
      .forEach(a -> assertEquals(Duration.ofSeconds(1), ((LoginThrottle.Refused) a).retryAfter()));
    ((LoginThrottle.Attempt) burst.get(0)).failed();
    admitted(t, "ann", OFFICE).failed();
  }

  @Test
  @DisplayName("guesses at many accounts from one address in parallel: no more are under way than the free failures allow")
  void parallelOverAccounts() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    List<LoginThrottle.Attempt> underWay = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      if (t.admit("user" + i, GUESSER) instanceof LoginThrottle.Attempt a) underWay.add(a);
    }
    assertEquals(LoginThrottle.FREE_FAILURES + 1, underWay.size());
    underWay.forEach(LoginThrottle.Attempt::failed);
    refused(t, "someone", GUESSER);
    clock.advance(Duration.ofMillis(1100));
    admitted(t, "someone", GUESSER).failed();
    Duration doubled = refused(t, "someone-else", GUESSER);
    assertTrue(doubled.compareTo(Duration.ofSeconds(1)) > 0 && doubled.compareTo(Duration.ofSeconds(2)) <= 0, doubled::toString);
  }

  @Test
  @DisplayName("signing in to one's own account never clears the failures an address ran up against others")
  void ownSuccessClearsNothingElse() {
    LoginThrottle t = new LoginThrottle(new TestClock());
    admitted(t, "mallory", GUESSER).succeeded();
    int checked = 0;
    int refusedCount = 0;
    for (int victim = 0; victim < 5; victim++) {
      for (int guess = 0; guess < 5; guess++) {
        if (t.admit("victim" + victim, GUESSER) instanceof LoginThrottle.Attempt a) {
          a.failed();
          checked++;
        } else {
          refusedCount++;
        }
      }
      admitted(t, "mallory", GUESSER).succeeded();
    }
    assertEquals(LoginThrottle.FREE_FAILURES + 1, checked);
    assertEquals(25 - checked, refusedCount);
  }

  @Test
  @DisplayName("an account that has signed in from an address passes a block of that address or of the account; a newcomer waits")
  void knownPlacesPass() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    admitted(t, "uma", HOME).succeeded();
    for (int i = 0; i < 8; i++) {
      if (t.admit("nobody" + i, HOME) instanceof LoginThrottle.Attempt a) a.failed();
    }
    refused(t, "vic", HOME);
    admitted(t, "uma", HOME).succeeded();

    for (int i = 0; i < 8; i++) {
      if (t.admit("uma", GUESSER) instanceof LoginThrottle.Attempt a) a.failed();
    }
    refused(t, "uma", CAFE);
    admitted(t, "uma", HOME).succeeded();

    clock.advance(LoginThrottle.KNOWN_FOR.plusDays(1));
    for (int i = 0; i < 8; i++) {
      if (t.admit("nobody" + i, HOME) instanceof LoginThrottle.Attempt a) a.failed();
    }
    refused(t, "uma", HOME);
  }

  @Test
  @DisplayName("a known place loses its pass after its own free failures, and regains it by signing in")
  void knownPlaceOwnFailures() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    admitted(t, "uma", HOME).succeeded();
    for (int i = 0; i < 8; i++) {
      if (t.admit("nobody" + i, HOME) instanceof LoginThrottle.Attempt a) a.failed();
    }
    fail(t, "uma", HOME, LoginThrottle.FREE_FAILURES);
    refused(t, "uma", HOME);
    clock.advance(LoginThrottle.MAX_BLOCK.plusSeconds(1));
    admitted(t, "uma", HOME).succeeded();
    for (int i = 0; i < 3; i++) {
      if (t.admit("nobody" + i, HOME) instanceof LoginThrottle.Attempt a) a.failed();
    }
    refused(t, "vic", HOME);
    admitted(t, "uma", HOME).succeeded();
  }

  @Test
  @DisplayName("one attempt at a time from a known place too, and a check that could not be made counts nothing")
  void knownPlaceInFlightAndAbandoned() {
    LoginThrottle t = new LoginThrottle(new TestClock());
    admitted(t, "uma", HOME).succeeded();
    LoginThrottle.Attempt first = admitted(t, "uma", HOME);
    refused(t, "uma", HOME);
    first.abandoned();
    first.failed();
    for (int i = 0; i < 20; i++) admitted(t, "uma", OFFICE).abandoned();
    admitted(t, "uma", CAFE).abandoned();
  }

  @Test
  @DisplayName("an IPv6 client is counted by its /64, which it controls whole")
  void ipv6ByPrefix() {
    LoginThrottle t = new LoginThrottle(new TestClock());
    for (int i = 1; i <= 6; i++) admitted(t, "n" + i, ip("2001:db8:0:7::" + Integer.toHexString(i))).failed();
    refused(t, "other", ip("2001:db8:0:7:ffff::1"));
    admitted(t, "other", ip("2001:db8:0:8::1")).abandoned();
    assertEquals("2001:db8:0:7::/64", LoginThrottle.addressKey(ip("2001:db8:0:7:1:2:3:4")));
  }

  @Test
  @DisplayName("memory stays bounded: entries are capped, and expired ones are swept as attempts arrive")
  void bounded() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock, 100, 100);
    for (int i = 0; i < 1000; i++) {
      InetAddress from = ip("10.0." + (i / 250) + "." + (i % 250));
      admitted(t, "u" + i, from).failed();
      if (i % 2 == 0) admitted(t, "v" + i, from).succeeded();
    }
    assertTrue(t.size() <= 200, () -> "entries held: " + t.size());
    clock.advance(LoginThrottle.KNOWN_FOR.plusDays(1));
    for (int i = 0; i < 50; i++) admitted(t, "late", HOME).abandoned();
    assertTrue(t.size() <= 2, () -> "entries held after expiry: " + t.size());
  }

  @Test
  @DisplayName("a reservation never settled stops holding the account's slot after a minute")
  void lostReservation() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    admitted(t, "uma", HOME).succeeded();
    admitted(t, "uma", HOME);
    refused(t, "uma", HOME);
    refused(t, "uma", CAFE);
    clock.advance(LoginThrottle.RESERVATION_LOST_AFTER.plusSeconds(1));
    admitted(t, "uma", HOME).succeeded();
    admitted(t, "uma", CAFE).succeeded();
  }

  @Test
  @DisplayName("a device cookie is a place of its own: a guesser behind the same address cannot use up the user's pass")
  void deviceCookieOutlastsAGuesserAtTheSameAddress() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    // alice signs in from the office with her browser's device id: the office and the device become known places.
    ((LoginThrottle.Attempt) t.admit("alice", OFFICE, "alices-laptop", false)).succeeded();
    clock.advance(Duration.ofMinutes(1));
    // Someone else behind the same office address guesses at alice, waiting out each block, with no cookie of hers.
    for (int i = 0; i < 20; i++) {
      LoginThrottle.Admission a = t.admit("alice", OFFICE, "guessers-browser", false);
      if (a instanceof LoginThrottle.Attempt at) at.failed();
      else clock.advance(((LoginThrottle.Refused) a).retryAfter());
    }
    assertTrue(t.admit("alice", OFFICE) instanceof LoginThrottle.Refused, "without her cookie alice is blocked like anyone");
    assertTrue(t.admit("alice", OFFICE, "alices-laptop", true) instanceof LoginThrottle.Attempt,
      "with her device cookie alice still gets in");
    assertTrue(t.admit("alice", OFFICE, "alices-laptop", false) instanceof LoginThrottle.Refused,
      "an unverified cookie is nobody's: the guesser cannot copy the id");
  }

  @Test
  @DisplayName("a flood of new names and addresses never pushes a blocked account out of the throttle")
  void floodDoesNotForgetABlockedAccount() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock, 100, 100);
    for (int i = 0; i < 12; i++) {
      LoginThrottle.Admission a = t.admit("victim", ip("203.0.113." + (10 + i)));
      if (a instanceof LoginThrottle.Attempt at) at.failed();
      else clock.advance(((LoginThrottle.Refused) a).retryAfter());
    }
    assertTrue(t.admit("victim", CAFE) instanceof LoginThrottle.Refused, "blocked before the flood");
    for (int i = 0; i < 200; i++) {
      LoginThrottle.Admission x = t.admit("nobody" + i, ip("2001:db8:" + Integer.toHexString(i) + "::1"));
      if (x instanceof LoginThrottle.Attempt at) at.failed();
    }
    assertTrue(t.admit("victim", CAFE) instanceof LoginThrottle.Refused, "still blocked after 200 attempts from 200 /64s");
  }
}
