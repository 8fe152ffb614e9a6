package io.careloop.queue;


import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The open cases (new, claimed, replied) in queue order, held in memory so that the agents' queue pages and counts
 * do not ask the database to scan and sort every case (the embedded server has no secondary indexes to do better).
 * It is a copy kept up to date from the database, never a source of truth: every claim and close is still one
 * conditional update in the database. Each case is kept as the few fields the views filter on plus its API form,
 * already rendered: a page is then a walk along the order and a concatenation of bytes.
 *
 * <p>CareLoop uses it on its one event loop, where the locks are never contended and cost next to nothing; they stay
 * because tests and the service benchmark read it ({@link #size()}, {@link #page}) from their own threads while the
 * event loop writes it.
 */
public final class OpenQueue {

  /** One open case as the views need it. */
  public record Entry(String id, String order, CaseState state, String assignee, Instant claimExpiresAt, Instant dueAt,
                      Instant warnAt, boolean warned, boolean breached, String brand, String sourceId, byte[] rendered) {}

  /** Rendered cases in order, and the order key to continue after (null on the last page). */
  public record Page(List<byte[]> items, String next) {}

  private final Function<Case, byte[]> render;
  private final TreeMap<String, Entry> byOrder = new TreeMap<>();
  private final Map<String, Entry> byId = new HashMap<>();

  public OpenQueue(Function<Case, byte[]> render) {
    this.render = render;
  }

  /** The case as the database now has it: kept if open, dropped if closed. */
  public void apply(Case c) {
    Entry entry = entry(c);
    synchronized (this) {
      if (entry == null) remove(c.id()); else put(entry);
    }
  }

  /** A case just created: kept unless a fresher copy already arrived. */
  public void created(Case c) {
    Entry entry = entry(c);
    synchronized (this) {
      if (entry != null && !byId.containsKey(entry.id())) put(entry);
    }
  }

  /** The entry of an open case (encoded here, outside the lock), or null for a closed one. */
  private Entry entry(Case c) {
    if (!c.state().open() || c.order() == null) return null;
    return new Entry(c.id(), c.order(), c.state(), c.assignee(), c.claimExpiresAt(), c.clock().dueAt(), c.clock().warnAt(),
      c.clock().warned(), c.clock().breached(), c.brand(), c.sourceId(), render.apply(c));
  }

  private void put(Entry entry) {
    Entry before = byId.put(entry.id(), entry);
    if (before != null) byOrder.remove(before.order());
    byOrder.put(entry.order(), entry);
  }

  /** The case is gone from the database (or was never there). */
  public synchronized void remove(String id) {
    Entry before = byId.remove(id);
    if (before != null) byOrder.remove(before.order());
  }

  public synchronized boolean contains(String id) {
    return byId.containsKey(id);
  }

  public synchronized int size() {
    return byId.size();
  }

  /** Up to {@code limit} matching cases after the cursor (an order key), in queue order. */
  public synchronized Page page(Predicate<Entry> match, int limit, String after) {
    List<byte[]> items = new ArrayList<>(Math.min(limit, 64));
    String last = null;
    var tail = after == null ? byOrder.values() : byOrder.tailMap(after, false).values();
    for (Entry e : tail) {
      if (!match.test(e)) continue;
      if (items.size() == limit) return new Page(items, last);
      items.add(e.rendered());
      last = e.order();
    }
    return new Page(items, null);
  }

  /** The matching entries in queue order (a copy: the caller may act on them after the lock is gone). */
  public synchronized List<Entry> matching(Predicate<Entry> match) {
    List<Entry> found = new ArrayList<>();
    for (Entry e : byOrder.values()) if (match.test(e)) found.add(e);
    return found;
  }

  public synchronized long count(Predicate<Entry> match) {
    long n = 0;
    for (Entry e : byOrder.values()) if (match.test(e)) n++;
    return n;
  }

  /**
   * Waiting cases whose warning ({@code breach false}) or deadline ({@code breach true}) has come and is not yet
   * flagged, earliest first: the SLA monitor's candidates, found without a scan of the database.
   */
  public synchronized List<String> due(boolean breach, Instant now, int limit) {
    List<Entry> found = new ArrayList<>();
    for (Entry e : byOrder.values()) {
      Instant at = breach ? e.dueAt() : e.warnAt();
      if (e.state().claimable() && at != null && !at.isAfter(now) && !(breach ? e.breached() : e.warned())) found.add(e);
    }
    found.sort(java.util.Comparator.comparing(e -> breach ? e.dueAt() : e.warnAt()));
    return found.stream().limit(limit).map(Entry::id).toList();
  }

  /**
   * What a view asks of a case besides its state, as a test on an entry; the same rules as {@link CaseView#query}
   * (the database form), which a test holds them to.
   */
  public static Predicate<Entry> view(CaseView view, String agent, Instant now) {
    return switch (view) {
      case MINE -> e -> agent.equals(e.assignee());
      case UNASSIGNED -> e -> e.assignee() == null || (e.claimExpiresAt() != null && e.claimExpiresAt().isBefore(now));
      case OPEN, DISMISSED -> e -> true;
      case BREACHING -> e -> e.dueAt() != null && !e.dueAt().isAfter(now.plus(CaseView.SOON));
    };
  }

  public byte[] render(Case c) {
    return render.apply(c);
  }
}
