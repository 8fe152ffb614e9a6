package io.careloop.x.standin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The posts and accounts of the X stand-in, in memory. Ids are snowflakes (time in the high bits) like X's, so a
 * stand-in restarted in demo mode keeps producing ids above the checkpoints CareLoop stored before.
 *
 * <p>Locked: a test (or the demo generator's timer) changes it from its own thread while the stand-in's HTTP server
 * reads it on an event loop.
 */
public final class StandInTimeline {
  private static final long X_EPOCH = 1288834974657L;

  public record Account(String id, String handle, String name, long followers, boolean isProtected) {
    public Account(String id, String handle, String name, long followers) { this(id, handle, name, followers, false); }
  }

  public record StoredPost(long id, String authorId, String text, Instant createdAt, long conversationId,
                           Long inReplyToId, String inReplyToUserId, Long retweetOfId) {
    public boolean retweet() { return retweetOfId != null; }
  }

  public record Page(List<StoredPost> posts, String nextToken) {}

  private final Clock clock;
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private final NavigableMap<Long, StoredPost> posts = new TreeMap<>();
  private long lastId;

  public StandInTimeline(Clock clock) {
    this.clock = clock;
  }

  public synchronized Account account(String id, String handle, String name, long followers) {
    return accounts.computeIfAbsent(id, k -> new Account(id, handle, name, followers));
  }

  /** An account whose posts only approved followers see ("protected" on X): never quoted in public. */
  public synchronized Account protectedAccount(String id, String handle, String name, long followers) {
    return accounts.computeIfAbsent(id, k -> new Account(id, handle, name, followers, true));
  }

  public synchronized Account account(String id) { return accounts.get(id); }

  public synchronized Optional<Account> accountByHandle(String handle) {
    return accounts.values().stream().filter(a -> a.handle().equalsIgnoreCase(handle)).findFirst();
  }

  public synchronized List<Account> accounts() { return List.copyOf(accounts.values()); }

  public synchronized int postCount() { return posts.size(); }

  /** Publishes a post now. */
  public StoredPost publish(String authorId, String text, Long inReplyToId, Long retweetOfId) {
    return publish(authorId, text, inReplyToId, retweetOfId, clock.instant());
  }

  public synchronized StoredPost publish(String authorId, String text, Long inReplyToId, Long retweetOfId, Instant createdAt) {
    if (!accounts.containsKey(authorId)) throw new IllegalArgumentException("unknown author " + authorId);
    long id = nextId(clock.instant());
    StoredPost parent = inReplyToId == null ? null : posts.get(inReplyToId);
    if (inReplyToId != null && parent == null) throw new IllegalArgumentException("unknown post " + inReplyToId);
    StoredPost post = new StoredPost(id, authorId, text, createdAt,
      parent == null ? id : parent.conversationId(), inReplyToId, parent == null ? null : parent.authorId(), retweetOfId);
    posts.put(id, post);
    return post;
  }

  private long nextId(Instant now) {
    long id = (now.toEpochMilli() - X_EPOCH) << 22;
    lastId = Math.max(id, lastId + 1);
    return lastId;
  }

  public synchronized Optional<StoredPost> post(long id) { return Optional.ofNullable(posts.get(id)); }

  public synchronized List<StoredPost> all() { return List.copyOf(posts.values()); }

  /** A brand reply with this text to the same post, recently: X refuses it as duplicate content. */
  public synchronized boolean isDuplicate(String authorId, String text) {
    Instant since = clock.instant().minus(Duration.ofHours(24));
    return posts.values().stream().anyMatch(p -> p.authorId().equals(authorId) && p.text().equals(text) && p.createdAt().isAfter(since));
  }

  public Page mentions(String userId, Long sinceId, String token, int max) {
    Account user = account(userId);
    if (user == null) return new Page(List.of(), null);
    String needle = "@" + user.handle().toLowerCase(Locale.ROOT);
    return page(p -> p.text().toLowerCase(Locale.ROOT).contains(needle), sinceId, token, max);
  }

  /** Recent search: every plain term must occur; {@code -is:retweet} and {@code -from:x} are honoured. */
  public Page search(String query, Long sinceId, String token, int max) {
    List<String> terms = new ArrayList<>();
    boolean excludeRetweets = false;
    List<String> excludedAuthors = new ArrayList<>();
    for (String raw : splitQuery(query)) {
      String t = raw.toLowerCase(Locale.ROOT);
      if (t.equals("-is:retweet")) excludeRetweets = true;
      else if (t.startsWith("-from:")) excludedAuthors.add(t.substring(6));
      else if (!t.contains(":") && !t.startsWith("-")) terms.add(t);
    }
    boolean noRetweets = excludeRetweets;
    return page(p -> {
      String text = p.text().toLowerCase(Locale.ROOT);
      if (noRetweets && p.retweet()) return false;
      Account author = account(p.authorId());
      if (author != null && excludedAuthors.contains(author.handle().toLowerCase(Locale.ROOT))) return false;
      return !terms.isEmpty() && terms.stream().allMatch(text::contains);
    }, sinceId, token, max);
  }

  public Page byAuthor(String userId, Long sinceId, String token, int max) {
    return page(p -> p.authorId().equals(userId), sinceId, token, max);
  }

  /** Newest first, above sinceId; the token is the id to continue below. */
  private synchronized Page page(Predicate<StoredPost> filter, Long sinceId, String token, int max) {
    long below = token == null ? Long.MAX_VALUE : Long.parseLong(token);
    List<StoredPost> matching = posts.headMap(below, false).descendingMap().values().stream()
      .filter(p -> sinceId == null || p.id() > sinceId)
      .filter(filter)
      .limit(max + 1L)
      .toList();
    if (matching.size() <= max) return new Page(matching, null);
    List<StoredPost> page = matching.subList(0, max);
    return new Page(List.copyOf(page), String.valueOf(page.get(page.size() - 1).id()));
  }

  private static List<String> splitQuery(String query) {
    List<String> out = new ArrayList<>();
    var m = java.util.regex.Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(query == null ? "" : query);
    while (m.find()) {
      if (m.group(1) != null) out.add(m.group(1)); else out.add(m.group(2));
    }
    return out;
  }

  public synchronized List<StoredPost> repliesTo(long postId) {
    return posts.values().stream().filter(p -> p.inReplyToId() != null && p.inReplyToId() == postId)
      .sorted(Comparator.comparingLong(StoredPost::id)).toList();
  }
}
