package io.careloop.x;

import io.careloop.config.Settings;
import io.careloop.x.standin.Fault;
import io.careloop.x.standin.XStandIn;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("The Twitter4J client against the X stand-in over real HTTP")
class Twitter4jXApiTest {
  static final String BRAND = "1000000000000000001";
  static Vertx vertx;
  static XStandIn standIn;
  static String baseUrl;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    standIn = new XStandIn(vertx, Clock.systemUTC(), BRAND, "AcmeCloud", "Acme Cloud");
    baseUrl = standIn.start(0).await();
    standIn.timeline().account("42", "dana", "Dana <b>", 1234);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static XApi api(String version, boolean bearer) {
    Settings.Credentials creds = new Settings.Credentials(bearer ? "bearer-token" : null, "ck", "cs", "at", "ats");
    return new Twitter4jXApi(new Settings.XSettings(baseUrl, version, Duration.ofSeconds(1), Duration.ofSeconds(2),
      new Settings.Backoff(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(10), Duration.ofMillis(100)), creds));
  }

  @Test
  @DisplayName("v2 mentions come back with author, followers, conversation and the text exactly as written")
  void v2MentionsParse() throws Exception {
    var q = standIn.timeline().publish("42", "@AcmeCloud is <img src=x onerror=alert(1)> & \"safe\"?", null, null);
    var reply = standIn.timeline().publish(BRAND, "@dana yes", q.id(), null);
    var follow = standIn.timeline().publish("42", "@AcmeCloud @dana thanks", reply.id(), null);

    PostPage page = api("v2", true).mentions(BRAND, String.valueOf(q.id() - 1), null);
    Post newest = page.posts().get(0);
    assertEquals(String.valueOf(follow.id()), newest.id());
    assertEquals(String.valueOf(q.id()), newest.conversationId());
    assertEquals(String.valueOf(reply.id()), newest.inReplyToPostId());
    Post first = page.posts().stream().filter(p -> p.id().equals(String.valueOf(q.id()))).findFirst().orElseThrow();
    assertEquals("@AcmeCloud is <img src=x onerror=alert(1)> & \"safe\"?", first.text());
    assertEquals("dana", first.authorHandle());
    assertEquals(1234, first.authorFollowers());
    assertEquals(q.createdAt().toEpochMilli() / 1000, first.createdAt().toEpochMilli() / 1000);
    assertEquals(String.valueOf(follow.id()), page.newestId());
  }

  @Test
  @DisplayName("v2: a reply brings the post it replied to (includes.tweets) and its author; the avatar is the stand-in's image URL")
  void v2ParentAndAvatar() throws Exception {
    standIn.timeline().account("77", "erin", "Erin & Co", 10);
    var original = standIn.timeline().publish("77", "my router <blinks> red", null, null);
    var reply = standIn.timeline().publish("42", "@AcmeCloud same as @erin here", original.id(), null);

    var lone = standIn.timeline().publish("42", "@AcmeCloud a question of its own", null, null);
    PostPage page = api("v2", true).mentions(BRAND, String.valueOf(original.id()), null);
    Post post = page.posts().stream().filter(p -> p.id().equals(String.valueOf(reply.id()))).findFirst().orElseThrow();
    assertEquals(new Post.Parent(String.valueOf(original.id()), "my router <blinks> red", "erin", "Erin & Co",
      java.time.Instant.ofEpochMilli(original.createdAt().toEpochMilli())), post.parent());
    assertEquals(baseUrl + "/_standin/avatars/42.svg", post.authorAvatarUrl());
    Post opening = page.posts().stream().filter(p -> p.id().equals(String.valueOf(lone.id()))).findFirst().orElseThrow();
    assertNull(opening.parent(), "a post that replies to nothing has no parent");
  }

  @Test
  @DisplayName("Only X's image hosts over https, or the configured X base URL's origin, are kept as avatar URLs")
  void avatarUrlsAllowed() {
    AvatarUrls urls = new AvatarUrls("http://127.0.0.1:8089");
    assertEquals("https://pbs.twimg.com/profile_images/1/a_normal.jpg", urls.allowed("https://pbs.twimg.com/profile_images/1/a_normal.jpg"));
    assertEquals("https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
      urls.allowed("https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"));
    assertEquals("http://127.0.0.1:8089/_standin/avatars/1.svg", urls.allowed("http://127.0.0.1:8089/_standin/avatars/1.svg"));
    for (String bad : new String[] {"http://pbs.twimg.com/a.jpg", "https://pbs.twimg.com.evil.example/a.jpg", "https://evil.example/a.png",
        "https://user@pbs.twimg.com/a.jpg", "https://pbs.twimg.com:8443/a.jpg", "http://127.0.0.1:8090/a.svg", "https://127.0.0.1:8089/a.svg",
        "javascript:alert(1)", "/relative.png", "not a url", "file:///etc/passwd"}) {
      assertNull(urls.allowed(bad), bad);
    }
  }

  @Test
  @DisplayName("v2 pagination follows next_token to the end without gaps or repeats")
  void v2Pagination() throws Exception {
    var before = standIn.timeline().publish("42", "marker", null, null);
    Set<Long> published = new HashSet<>();
    for (int i = 0; i < 250; i++) published.add(standIn.timeline().publish("42", "@AcmeCloud page test " + i, null, null).id());
    XApi api = api("v2", true);
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      PostPage page = api.mentions(BRAND, String.valueOf(before.id()), token);
      page.posts().forEach(p -> seen.add(p.id()));
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertEquals(3, pages);
    assertEquals(250, seen.size());
    assertEquals(250, new HashSet<>(seen).size());
    assertTrue(seen.stream().map(Long::valueOf).allMatch(published::contains));
  }

  @Test
  @DisplayName("v2 search matches keywords and an empty result is an empty page, not an error")
  void v2Search() throws Exception {
    standIn.timeline().publish("42", "does ACME cloud support zebras?", null, null);
    PostPage page = api("v2", true).search("\"acme cloud\" zebras -is:retweet", null, null);
    assertEquals(1, page.posts().size());
    assertTrue(api("v2", true).search("nothing-matches-this", null, null).posts().isEmpty());
  }

  @Test
  @DisplayName("v2 reply is posted in thread and can be found again by text")
  void v2ReplyAndFind() throws Exception {
    var q = standIn.timeline().publish("42", "@AcmeCloud help with v2", null, null);
    Post posted = api("v2", false).reply(String.valueOf(q.id()), "@dana here is how <3");
    var stored = standIn.timeline().post(Long.parseLong(posted.id())).orElseThrow();
    assertEquals(q.id(), stored.inReplyToId());
    assertEquals("@dana here is how <3", stored.text());
    assertTrue(api("v2", false).findReply(BRAND, String.valueOf(q.id()), "@dana here is how <3").isPresent());
    assertTrue(api("v2", false).findReply(BRAND, String.valueOf(q.id()), "other text").isEmpty());
  }

  @Test
  @DisplayName("v1.1 mentions, search and reply work through plain Twitter4J")
  void v1() throws Exception {
    var q = standIn.timeline().publish("42", "@AcmeCloud v1 question <b>", null, null);
    XApi api = api("v1.1", false);
    PostPage page = api.mentions(BRAND, String.valueOf(q.id() - 1), null);
    assertEquals(String.valueOf(q.id()), page.posts().get(0).id());
    assertEquals("@AcmeCloud v1 question <b>", page.posts().get(0).text());
    assertEquals("dana", page.posts().get(0).authorHandle());
    Post reply = api.reply(String.valueOf(q.id()), "@dana v1 answer");
    assertEquals(q.id(), standIn.timeline().post(Long.parseLong(reply.id())).orElseThrow().inReplyToId());
    assertTrue(api.findReply(BRAND, String.valueOf(q.id()), "@dana v1 answer").isPresent());
    assertFalse(api.search("v1 question", null, null).posts().isEmpty());
  }

  @Test
  @DisplayName("faults are classified: 429 with its reset, 503, malformed JSON, connection reset, timeout, duplicate post")
  void faults() throws Exception {
    XApi api = api("v2", true);
    standIn.inject(new Fault(Fault.Kind.RATE_LIMIT, 1, "/2/", 30));
    XFailure limited = assertThrows(XFailure.class, () -> api.mentions(BRAND, null, null));
    assertEquals(XFailure.Kind.RATE_LIMITED, limited.kind());
    assertNotNull(limited.resetAt());
    long wait = limited.resetAt().getEpochSecond() - java.time.Instant.now().getEpochSecond();
    assertTrue(wait >= 28 && wait <= 31, "reset in about 30 s, was " + wait);

    standIn.inject(new Fault(Fault.Kind.UNAVAILABLE, 1, "/2/", 0));
    assertEquals(XFailure.Kind.SERVER_ERROR, assertThrows(XFailure.class, () -> api.mentions(BRAND, null, null)).kind());
    standIn.inject(new Fault(Fault.Kind.MALFORMED, 1, "/2/", 0));
    assertEquals(XFailure.Kind.MALFORMED, assertThrows(XFailure.class, () -> api.mentions(BRAND, null, null)).kind());
    // The JDK re-sends a GET once on a dropped connection, so two resets in a row reach the client.
    standIn.inject(new Fault(Fault.Kind.RESET, 2, "/2/", 0));
    assertEquals(XFailure.Kind.NETWORK, assertThrows(XFailure.class, () -> api.mentions(BRAND, null, null)).kind());
    standIn.clearFaults();
    standIn.inject(new Fault(Fault.Kind.SLOW, 1, "/2/", 3000));
    assertEquals(XFailure.Kind.NETWORK, assertThrows(XFailure.class, () -> api.mentions(BRAND, null, null)).kind());

    var q = standIn.timeline().publish("42", "@AcmeCloud dup", null, null);
    api("v2", false).reply(String.valueOf(q.id()), "same words");
    XFailure dup = assertThrows(XFailure.class, () -> api("v2", false).reply(String.valueOf(q.id()), "same words"));
    assertEquals(XFailure.Kind.REJECTED, dup.kind());
    assertEquals(403, dup.status());
    assertFalse(dup.getMessage().contains("ats"), "no credentials in messages");
  }

  @Test
  @DisplayName("a post whose answer is lost is not re-sent by the HTTP stack, and can be found afterwards")
  void lostPostAnswerIsNotResent() throws Exception {
    var q = standIn.timeline().publish("42", "@AcmeCloud lost answer", null, null);
    standIn.inject(new Fault(Fault.Kind.LOSE_RESPONSE, 1, "/2/tweets", 0));
    XFailure lost = assertThrows(XFailure.class, () -> api("v2", false).reply(String.valueOf(q.id()), "@dana posted once"));
    assertTrue(lost.outcomeUnknown());
    assertEquals(1, standIn.timeline().repliesTo(q.id()).size());
    assertTrue(api("v2", false).findReply(BRAND, String.valueOf(q.id()), "@dana posted once").isPresent());
  }
}
