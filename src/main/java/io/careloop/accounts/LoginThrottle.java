package io.careloop.accounts;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Slows down password guessing without handing the guesser a way to lock people out (OWASP Authentication Cheat
 * Sheet, "Account Lockout": lockout must not turn into a denial of service; its companion "Slow Down Online Guessing
 * Attacks with Device Cookies" lets a client that has signed in before through a lockout). Three keys per attempt:
 * <ul>
 *   <li><b>the account</b> (case-folded name): guesses at one account, from anywhere;</li>
 *   <li><b>the address</b> (IPv4, or an IPv6 client's /64, which it controls whole): guesses at many accounts, or at
 *   names that do not exist, from one place;</li>
 *   <li><b>the account at the address</b>, a <i>known place</i> once the account has signed in there.</li>
 * </ul>
 * Account and address each allow {@value #FREE_FAILURES} failures free; after that each failure blocks the key for
 * 1 s, doubling, up to {@link #MAX_BLOCK}; a key is forgotten an hour after its last failure.
 *
 * <p>Used on the verticle's one event loop only (admission and settlement alike), so it takes no locks.
 *
 * <p><b>Reserve, then check.</b> {@link #admit} counts the attempt as a failure before the password is checked,
 * so guesses sent in parallel see each other: at most one attempt per account (and per known place) is in flight,
 * further ones are refused at once, and a key whose attempts under way would block it if they failed takes no more.
 * The outcome then settles the reservation: a failure stays counted; a success clears only what it proves, the
 * account and its place, and merely gives back its own reservation on the address, so signing in to one's own
 * account never wipes the failures an address ran up against others.
 *
 * <p><b>Known places pass blocks.</b> A browser that signed in to the account within {@link #KNOWN_FOR} carries a
 * device cookie signed for it ({@link DeviceCookies}); an attempt with it is counted on that device alone, and passes
 * a block of the address and of the account while the device has used fewer than the free failures. Nobody else can
 * use that pass or use it up, not even a guesser behind the same address, since only attempts carrying the cookie
 * count against it (OWASP's device cookies). A client without the cookie (a script, a cleared browser) falls back on
 * the account at the address as its place: that pass is shared with whoever else is at the address, so a guesser there
 * can use it up. Failures always count on the account and the address too. A newcomer waits like anyone else.
 *
 * <p>Bounded: at most {@code maxKeys} keys and {@code maxPlaces} places; when full, the least recently used entry
 * that holds no block and nothing in flight is dropped (a flood of new names cannot push a blocked account out), and
 * past twice the bound strangers wait. Expired entries are swept as attempts arrive. In memory on purpose: it is a brake, not a record; each node brakes on its
 * own, and a restart forgets the known places (their users then wait out a block like newcomers).
 */
public final class LoginThrottle {
  static final int FREE_FAILURES = 5;
  static final Duration MAX_BLOCK = Duration.ofMinutes(5);
  static final Duration FORGET_AFTER = Duration.ofHours(1);
  public static final Duration KNOWN_FOR = Duration.ofDays(30);
  /** What a refusal for an attempt already under way asks for: an Argon2 check takes well under a second. */
  static final Duration IN_FLIGHT_WAIT = Duration.ofSeconds(1);
  /**
   * A reservation not settled by then is presumed lost (a check that never completed): it stops counting as under
   * way, so a leak can never hold an account's single slot for good.
   */
  static final Duration RESERVATION_LOST_AFTER = Duration.ofMinutes(1);
  static final int MAX_KEYS = 50_000;
  static final int MAX_PLACES = 50_000;
  /** Expired entries looked at per attempt: enough to keep up with arrivals, never a long pause. */
  private static final int SWEEP = 8;

  /** The outcome of {@link #admit}: go ahead and check the password, or wait. */
  public sealed interface Admission permits Attempt, Refused {}

  /** Refused before any password check: answer 429 with {@code Retry-After}. */
  public record Refused(Duration retryAfter) implements Admission {}

  /** Failures of an account or an address. */
  private static final class Key {
    int failures;
    Instant lastFailure;
    int inFlight;
    Instant reservedAt;
  }

  /** An account at an address where it has signed in. */
  private static final class Place {
    Instant lastSuccess;
    int failures;
    int inFlight;
    Instant reservedAt;
  }

  private final Clock clock;
  private final Map<String, Key> keys;
  private final Map<String, Place> places;
  private final int maxKeys;

  public LoginThrottle(Clock clock) {
    this(clock, MAX_KEYS, MAX_PLACES);
  }

  LoginThrottle(Clock clock, int maxKeys, int maxPlaces) {
    this.clock = clock;
    this.maxKeys = maxKeys;
    this.keys = bounded(maxKeys);
    this.places = bounded(maxPlaces);
  }

  private <V> Map<String, V> bounded(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        if (size() <= max) return false;
        // Full: drop the least recently used entry that holds nothing a guesser would gain by pushing out (no block,
        // nothing in flight). If none of the oldest is such, the map grows past its bound rather than forget a block;
        // past twice the bound, strangers are refused by admit until entries expire.
        Instant now = clock.instant();
        Iterator<Map.Entry<String, V>> it = entrySet().iterator();
        for (int i = 0; i < SWEEP * 4 && it.hasNext(); i++) {
          V v = it.next().getValue();
          if (harmless(v, now)) {
            it.remove();
            return false;
          }
        }
        return false;
      }
    };
  }

  /**
   * What may be dropped when full: nothing in flight, and no block (a key's free failures are all a flood could win
   * back by pushing it out; a blocked account or address is never forgotten that way).
   */
  private static boolean harmless(Object entry, Instant now) {
    if (entry instanceof Key k) return (k.inFlight == 0 || lost(k.reservedAt, now)) && failures(k, now) <= FREE_FAILURES;
    if (entry instanceof Place p) return p.inFlight == 0 || lost(p.reservedAt, now);
    return true;
  }

  /**
   * Reserves a sign-in attempt for {@code username} from {@code address} (null when unknown), or refuses it. An
   * admitted attempt must be settled exactly once: {@link Attempt#succeeded}, {@link Attempt#failed} (wrong password,
   * unknown or disabled account) or {@link Attempt#abandoned} (the check itself failed, e.g. the database).
   */
  public Admission admit(String username, InetAddress address) {
    return admit(username, address, null, false);
  }

  /**
   * As {@link #admit(String, InetAddress)}, from a browser that holds device {@code device} (its signed device
   * cookie, or a fresh id to be given it if this attempt succeeds); {@code deviceVerified} says the cookie was signed by
   * this node for this account. A verified device that signed in before is a known place of its own: its pass cannot be
   * used up by someone else guessing from the same address, since only attempts carrying that cookie count against it.
   */
  public Admission admit(String username, InetAddress address, String device, boolean deviceVerified) {
    Instant now = clock.instant();
    sweep(now);
    String account = "account:" + username.toLowerCase(Locale.ROOT);
    String from = "address:" + addressKey(address);
    String addressPlace = account + " at " + from;
    String devicePlace = device == null ? null : account + " device " + device;
    Place byDevice = deviceVerified && devicePlace != null ? places.get(devicePlace) : null;
    Place byAddress = places.get(addressPlace);
    boolean deviceKnown = byDevice != null && byDevice.lastSuccess.plus(KNOWN_FOR).isAfter(now);
    String placeKey = deviceKnown ? devicePlace : addressPlace;
    Place place = deviceKnown ? byDevice : byAddress;
    boolean known = place != null && place.lastSuccess.plus(KNOWN_FOR).isAfter(now);
    if (known && lost(place.reservedAt, now)) place.inFlight = 0;
    if (known && place.inFlight > 0) return new Refused(IN_FLIGHT_WAIT);
    boolean passes = known && place.failures < FREE_FAILURES;
    if (!passes) {
      Duration wait = max(wait(keys.get(account), now, 1), wait(keys.get(from), now, Integer.MAX_VALUE));
      if (!wait.isZero()) return new Refused(wait);
    }
    // Every slot holds a block or an attempt under way (a flood from very many addresses): strangers wait.
    if (!passes && keys.size() >= maxKeys * 2 && (!keys.containsKey(account) || !keys.containsKey(from))) return new Refused(IN_FLIGHT_WAIT);
    for (Key k : new Key[] {key(account), key(from)}) {
      k.inFlight++;
      k.reservedAt = now;
    }
    if (known) {
      place.inFlight++;
      place.reservedAt = now;
    }
    return new Attempt(account, from, placeKey, known, devicePlace, addressPlace);
  }

  /**
   * How long a key makes a new attempt wait: the block after its settled failures, or, while attempts are under way,
   * the block they would cause if they all failed (they are presumed failures until settled).
   */
  private static Duration wait(Key k, Instant now, int maxInFlight) {
    if (k == null) return Duration.ZERO;
    if (lost(k.reservedAt, now)) k.inFlight = 0;
    if (k.inFlight >= maxInFlight) return IN_FLIGHT_WAIT;
    int failures = failures(k, now);
    Duration settled = failures == 0 ? Duration.ZERO : positive(Duration.between(now, k.lastFailure.plus(block(failures))));
    Duration presumed = k.inFlight > 0 ? block(failures + k.inFlight) : Duration.ZERO;
    return max(settled, presumed);
  }

  /** A reserved attempt; settled once, whatever is called after. */
  public final class Attempt implements Admission {
    private final String account;
    private final String address;
    private final String place;
    private final boolean placeReserved;
    /** The places a success makes known: the browser's device (when it has or gets a cookie) and the address. */
    private final String devicePlace;
    private final String addressPlace;
    private final AtomicBoolean settled = new AtomicBoolean();

    private Attempt(String account, String address, String place, boolean placeReserved, String devicePlace, String addressPlace) {
      this.account = account;
      this.address = address;
      this.place = place;
      this.placeReserved = placeReserved;
      this.devicePlace = devicePlace;
      this.addressPlace = addressPlace;
    }

    /** Wrong password, unknown or disabled account: the reservation stays a failure on every key. */
    public void failed() {
      if (settled.compareAndSet(false, true)) settleFailed(this);
    }

    /** The password was right: the account and its place are cleared, the address only gets its reservation back. */
    public void succeeded() {
      if (settled.compareAndSet(false, true)) settleSucceeded(this);
    }

    /** The check could not be made (database down): nothing is learnt, the reservation is given back. */
    public void abandoned() {
      if (settled.compareAndSet(false, true)) settleAbandoned(this);
    }
  }

  private void settleFailed(Attempt a) {
    Instant now = clock.instant();
    for (String name : new String[] {a.account, a.address}) {
      Key k = key(name);
      release(k);
      k.failures = failures(k, now) + 1;
      k.lastFailure = now;
    }
    Place p = places.get(a.place);
    if (p != null) {
      if (a.placeReserved) p.inFlight = Math.max(0, p.inFlight - 1);
      p.failures++;
    }
  }

  private void settleSucceeded(Attempt a) {
    Instant now = clock.instant();
    Key account = keys.get(a.account);
    if (account != null) {
      release(account);
      account.failures = 0;
      account.lastFailure = null;
      if (account.inFlight == 0) keys.remove(a.account);
    }
    Key from = keys.get(a.address);
    if (from != null) release(from);
    Place used = places.get(a.place);
    if (used != null && a.placeReserved) used.inFlight = Math.max(0, used.inFlight - 1);
    for (String name : new String[] {a.devicePlace, a.addressPlace}) {
      if (name == null) continue;
      Place p = places.computeIfAbsent(name, n -> new Place());
      p.failures = 0;
      p.lastSuccess = now;
    }
  }

  private void settleAbandoned(Attempt a) {
    for (String name : new String[] {a.account, a.address}) {
      Key k = keys.get(name);
      if (k != null) release(k);
    }
    Place p = places.get(a.place);
    if (p != null && a.placeReserved) p.inFlight = Math.max(0, p.inFlight - 1);
  }

  private static void release(Key k) { k.inFlight = Math.max(0, k.inFlight - 1); }

  private static boolean lost(Instant reservedAt, Instant now) {
    return reservedAt != null && reservedAt.plus(RESERVATION_LOST_AFTER).isBefore(now);
  }

  /** Failures that still count: none once the last is more than {@link #FORGET_AFTER} old. */
  private static int failures(Key k, Instant now) {
    return k.lastFailure == null || k.lastFailure.plus(FORGET_AFTER).isBefore(now) ? 0 : k.failures;
  }

  private Key key(String name) {
    Key k = keys.get(name);
    if (k == null) {
      k = new Key();
      keys.put(name, k);
    }
    return k;
  }

  /** Drops expired entries from the least recently used end; stops at the first live one. */
  private void sweep(Instant now) {
    sweep(keys, k -> (k.inFlight == 0 || lost(k.reservedAt, now)) && failures(k, now) == 0);
    sweep(places, p -> (p.inFlight == 0 || lost(p.reservedAt, now)) && !p.lastSuccess.plus(KNOWN_FOR).isAfter(now));
  }

  private static <V> void sweep(Map<String, V> map, Predicate<V> expired) {
    Iterator<V> it = map.values().iterator();
    for (int i = 0; i < SWEEP && it.hasNext(); i++) {
      if (!expired.test(it.next())) return;
      it.remove();
    }
  }

  /** Entries held now (for tests of the bound). */
  int size() { return keys.size() + places.size(); }

  /** An IPv6 client holds a whole /64 (SLAAC, privacy addresses): counting per address would give it 2^64 of them. */
  static String addressKey(InetAddress address) {
    if (address == null) return "unknown";
    if (address instanceof Inet6Address) {
      byte[] b = address.getAddress();
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < 8; i += 2) s.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
      return s.append(":/64").toString();
    }
    return address.getHostAddress();
  }

  static Duration block(int failures) {
    if (failures <= FREE_FAILURES) return Duration.ZERO;
    int doublings = Math.min(failures - FREE_FAILURES - 1, 20);
    Duration d = Duration.ofSeconds(1L << doublings);
    return d.compareTo(MAX_BLOCK) > 0 ? MAX_BLOCK : d;
  }

  private static Duration positive(Duration d) { return d.isNegative() ? Duration.ZERO : d; }

  private static Duration max(Duration a, Duration b) { return a.compareTo(b) >= 0 ? a : b; }
}
