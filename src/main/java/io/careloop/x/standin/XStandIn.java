package io.careloop.x.standin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for the X API on loopback, speaking the HTTP/JSON of X API v2 (user mentions, recent search,
 * user posts, create post) and the v1.1 endpoints Twitter4J uses, so CareLoop's production client is exercised
 * unchanged in demo mode and in tests. Faults (429, 503, malformed JSON, slow answers, resets) are switched on
 * through {@link #inject(Fault)} or {@code POST /_standin/faults}.
 *
 * <p>Locked: a test (or the demo generator's timer) changes it from its own thread while the stand-in's HTTP server
 * reads it on an event loop.
 */
public final class XStandIn {
  private static final DateTimeFormatter V1_DATE =
    DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.US).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter V2_DATE =
    DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US).withZone(ZoneOffset.UTC);
  private static final int WINDOW_LIMIT = 450;

  private final Vertx vertx;
  private final Clock clock;
  private final StandInTimeline timeline;
  private final String brandUserId;
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final Map<String, AtomicLong> requests = new LinkedHashMap<>();
  private final AtomicLong postsServed = new AtomicLong();
  private HttpServer server;
  private volatile String baseUrl = "http://127.0.0.1";

  public XStandIn(Vertx vertx, Clock clock, String brandUserId, String brandHandle, String brandName) {
    this.vertx = vertx;
    this.clock = clock;
    this.timeline = new StandInTimeline(clock);
    this.brandUserId = brandUserId;
    timeline.account(brandUserId, brandHandle, brandName, 52_000);
  }

  public StandInTimeline timeline() { return timeline; }

  /** Posts sent with this OAuth access token are by this account (any other token posts as the brand it was made for). */
  public void connect(String accessToken, String userId) {
    postingTokens.put(accessToken, userId);
  }

  /** The account a post request is by, from the {@code oauth_token} of its OAuth 1.0a header. */
  private String poster(RoutingContext ctx) {
    var m = OAUTH_TOKEN.matcher(ctx.request().getHeader("Authorization"));
    String token = m.find() ? java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8) : null;
    return token == null ? brandUserId : postingTokens.getOrDefault(token, brandUserId);
  }

  private static final java.util.regex.Pattern OAUTH_TOKEN = java.util.regex.Pattern.compile("oauth_token=\"([^\"]*)\"");
  private final Map<String, String> postingTokens = new java.util.concurrent.ConcurrentHashMap<>();

  public String brandUserId() { return brandUserId; }

  /** Starts on loopback; 0 picks a free port. Completes with the base URL ({@code http://127.0.0.1:port}). */
  public Future<String> start(int port) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(64 * 1024));
    router.route("/2/*").handler(this::applyFaults);
    router.route("/1.1/*").handler(this::applyFaults);
    router.get("/2/users/:id/mentions").handler(this::v2Mentions);
    router.get("/2/users/:id/tweets").handler(this::v2UserPosts);
    router.get("/2/tweets/search/recent").handler(this::v2Search);
    router.post("/2/tweets").handler(this::v2Create);
    router.get("/1.1/statuses/mentions_timeline.json").handler(this::v1Mentions);
    router.get("/1.1/statuses/user_timeline.json").handler(this::v1UserTimeline);
    router.get("/1.1/search/tweets.json").handler(this::v1Search);
    router.post("/1.1/statuses/update.json").handler(this::v1Update);
    router.post("/_standin/faults").handler(this::addFault);
    router.post("/_standin/posts").handler(this::addPost);
    router.get("/_standin/posts").handler(this::listPosts);
    router.get("/_standin/avatars/:file").handler(this::avatar);
    router.get("/_standin/stats").handler(ctx -> json(ctx.response(), 200, stats()));
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
      .map(s -> {
        server = s;
        baseUrl = "http://127.0.0.1:" + s.actualPort();
        return baseUrl;
      });
  }

  public Future<Void> stop() { return server == null ? Future.succeededFuture() : server.close(); }

  public synchronized void inject(Fault fault) { faults.addLast(fault); }

  public synchronized void clearFaults() { faults.clear(); }

  /** Faults injected and not yet applied: zero once the request a fault was waiting for has arrived. */
  public synchronized int pendingFaults() { return faults.size(); }

  /** Requests served per endpoint and posts returned by reads. */
  public synchronized JsonObject stats() {
    JsonObject byEndpoint = new JsonObject();
    requests.forEach((k, v) -> byEndpoint.put(k, v.get()));
    return new JsonObject().put("requests", byEndpoint).put("postsServed", postsServed.get());
  }

  private synchronized Fault takeFault(String path) {
    for (var it = faults.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (path.startsWith(f.pathPrefix())) {
        it.remove();
        if (f.skip() > 0) {
          faults.addFirst(new Fault(f.kind(), f.count(), f.pathPrefix(), f.seconds(), f.skip() - 1));
          return null;
        }
        if (f.count() > 1) faults.addFirst(new Fault(f.kind(), f.count() - 1, f.pathPrefix(), f.seconds()));
        return f;
      }
    }
    return null;
  }

  private void applyFaults(RoutingContext ctx) {
    String endpoint = ctx.request().method() + " " + ctx.normalizedPath().replaceAll("/\\d{3,}", "/:id");
    synchronized (this) {
      requests.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
    }
    String auth = ctx.request().getHeader("Authorization");
    if (auth == null || !(auth.startsWith("Bearer ") || auth.startsWith("OAuth "))) {
      json(ctx.response(), 401, problem(401, "Unauthorized", "Unauthorized"));
      return;
    }
    rateHeaders(ctx.response());
    Fault fault = takeFault(ctx.normalizedPath());
    if (fault == null) {
      ctx.next();
      return;
    }
    switch (fault.kind()) {
      case RATE_LIMIT -> {
        ctx.response().putHeader("x-rate-limit-remaining", "0")
          .putHeader("x-rate-limit-reset", String.valueOf(clock.instant().getEpochSecond() + fault.seconds()));
        json(ctx.response(), 429, problem(429, "Too Many Requests", "Too Many Requests"));
      }
      case UNAVAILABLE -> json(ctx.response(), 503, problem(503, "Service Unavailable", "Service Unavailable"));
      case MALFORMED -> ctx.response().setStatusCode(200).putHeader("content-type", "application/json")
        .end("{\"data\":[{\"id\":\"1\",\"text\":\"trunc");
      case SLOW -> vertx.setTimer(Math.max(1, fault.seconds()), t -> ctx.next());
      case RESET -> ctx.request().connection().close();
      case LOSE_RESPONSE -> {
        ctx.put("loseResponse", true);
        ctx.next();
      }
    }
  }

  private void rateHeaders(HttpServerResponse response) {
    long window = clock.instant().getEpochSecond() / 900 * 900 + 900;
    response.putHeader("x-rate-limit-limit", String.valueOf(WINDOW_LIMIT))
      .putHeader("x-rate-limit-remaining", String.valueOf(WINDOW_LIMIT - 1))
      .putHeader("x-rate-limit-reset", String.valueOf(window));
  }

  // ---- v2 ----

  private void v2Mentions(RoutingContext ctx) {
    var page = timeline.mentions(ctx.pathParam("id"), sinceId(ctx), ctx.request().getParam("pagination_token"), maxResults(ctx, 5, 100));
    respondV2Page(ctx, page);
  }

  private void v2UserPosts(RoutingContext ctx) {
    var page = timeline.byAuthor(ctx.pathParam("id"), sinceId(ctx), ctx.request().getParam("pagination_token"), maxResults(ctx, 5, 100));
    respondV2Page(ctx, page);
  }

  private void v2Search(RoutingContext ctx) {
    String query = ctx.request().getParam("query");
    if (query == null || query.isBlank()) {
      json(ctx.response(), 400, problem(400, "Invalid Request", "The `query` query parameter can not be empty"));
      return;
    }
    String token = Optional.ofNullable(ctx.request().getParam("next_token")).orElse(ctx.request().getParam("pagination_token"));
    respondV2Page(ctx, timeline.search(query, sinceId(ctx), token, maxResults(ctx, 10, 100)));
  }

  private void respondV2Page(RoutingContext ctx, StandInTimeline.Page page) {
    JsonObject body = new JsonObject();
    JsonObject meta = new JsonObject().put("result_count", page.posts().size());
    if (!page.posts().isEmpty()) {
      JsonArray data = new JsonArray();
      Map<String, JsonObject> users = new LinkedHashMap<>();
      Map<Long, JsonObject> parents = new LinkedHashMap<>();
      for (var p : page.posts()) {
        data.add(v2Post(p));
        addUser(users, p.authorId());
        // As X does with expansions=referenced_tweets.id(.author_id): the replied-to post and its author ride along.
        if (p.inReplyToId() != null && !parents.containsKey(p.inReplyToId())) {
          timeline.post(p.inReplyToId()).ifPresent(parent -> {
            parents.put(parent.id(), v2Post(parent));
            addUser(users, parent.authorId());
          });
        }
      }
      JsonObject includes = new JsonObject().put("users", new JsonArray(List.copyOf(users.values())));
      if (!parents.isEmpty()) includes.put("tweets", new JsonArray(List.copyOf(parents.values())));
      body.put("data", data).put("includes", includes);
      meta.put("newest_id", String.valueOf(page.posts().get(0).id()))
        .put("oldest_id", String.valueOf(page.posts().get(page.posts().size() - 1).id()));
      postsServed.addAndGet(page.posts().size());
    }
    if (page.nextToken() != null) meta.put("next_token", page.nextToken());
    body.put("meta", meta);
    json(ctx.response(), 200, body);
  }

  private void addUser(Map<String, JsonObject> users, String authorId) {
    var a = timeline.account(authorId);
    if (a == null) return;
    users.putIfAbsent(a.id(), new JsonObject().put("id", a.id()).put("username", a.handle()).put("name", a.name()).put("protected", a.isProtected())
      .put("profile_image_url", baseUrl + "/_standin/avatars/" + a.id() + ".svg")
      .put("public_metrics", new JsonObject().put("followers_count", a.followers()).put("following_count", 10)
        .put("tweet_count", 100).put("listed_count", 1).put("like_count", 5)));
  }

  private JsonObject v2Post(StandInTimeline.StoredPost p) {
    JsonObject json = new JsonObject()
      .put("id", String.valueOf(p.id()))
      .put("text", escape(p.text()))
      .put("author_id", p.authorId())
      .put("created_at", V2_DATE.format(p.createdAt()))
      .put("conversation_id", String.valueOf(p.conversationId()))
      .put("edit_history_tweet_ids", new JsonArray().add(String.valueOf(p.id())))
      .put("lang", "en");
    JsonArray refs = new JsonArray();
    if (p.inReplyToId() != null) {
      refs.add(new JsonObject().put("type", "replied_to").put("id", String.valueOf(p.inReplyToId())));
      json.put("in_reply_to_user_id", p.inReplyToUserId());
    }
    if (p.retweetOfId() != null) refs.add(new JsonObject().put("type", "retweeted").put("id", String.valueOf(p.retweetOfId())));
    if (!refs.isEmpty()) json.put("referenced_tweets", refs);
    return json;
  }

  private void v2Create(RoutingContext ctx) {
    if (!ctx.request().getHeader("Authorization").startsWith("OAuth ")) {
      json(ctx.response(), 403, problem(403, "Forbidden", "Posting needs user context (OAuth 1.0a)"));
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null || body.getString("text") == null) {
      json(ctx.response(), 400, problem(400, "Invalid Request", "text is required"));
      return;
    }
    String text = body.getString("text");
    String inReplyTo = body.getJsonObject("reply", new JsonObject()).getString("in_reply_to_tweet_id");
    String author = poster(ctx);
    Optional<JsonObject> rejected = validatePost(author, text, inReplyTo);
    if (rejected.isPresent()) {
      json(ctx.response(), rejected.get().getInteger("status"), rejected.get());
      return;
    }
    var post = timeline.publish(author, text, inReplyTo == null ? null : Long.valueOf(inReplyTo), null);
    if (Boolean.TRUE.equals(ctx.get("loseResponse"))) {
      ctx.request().connection().close();
      return;
    }
    json(ctx.response(), 201, new JsonObject().put("data", new JsonObject()
      .put("id", String.valueOf(post.id())).put("text", escape(post.text()))
      .put("edit_history_tweet_ids", new JsonArray().add(String.valueOf(post.id())))));
  }

  private Optional<JsonObject> validatePost(String author, String text, String inReplyTo) {
    if (inReplyTo != null && timeline.post(parseId(inReplyTo)).isEmpty()) {
      return Optional.of(problem(400, "Invalid Request", "in_reply_to_tweet_id does not exist"));
    }
    if (timeline.isDuplicate(author, text)) {
      return Optional.of(problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content."));
    }
    return Optional.empty();
  }

  // ---- v1.1 ----

  private void v1Mentions(RoutingContext ctx) {
    var page = timeline.mentions(brandUserId, sinceId(ctx), maxIdToken(ctx), maxResults(ctx, "count", 1, 200));
    respondV1List(ctx, page.posts());
  }

  private void v1UserTimeline(RoutingContext ctx) {
    String userId = Optional.ofNullable(ctx.request().getParam("user_id")).orElse(brandUserId);
    var page = timeline.byAuthor(userId, sinceId(ctx), maxIdToken(ctx), maxResults(ctx, "count", 1, 200));
    respondV1List(ctx, page.posts());
  }

  private void v1Search(RoutingContext ctx) {
    String q = ctx.request().getParam("q");
    int count = maxResults(ctx, "count", 1, 100);
    var page = timeline.search(q, sinceId(ctx), maxIdToken(ctx), count);
    JsonArray statuses = new JsonArray();
    page.posts().forEach(p -> statuses.add(v1Status(p)));
    postsServed.addAndGet(page.posts().size());
    JsonObject meta = new JsonObject().put("count", count).put("query", q)
      .put("max_id", page.posts().isEmpty() ? 0 : page.posts().get(0).id())
      .put("since_id", Optional.ofNullable(sinceId(ctx)).orElse(0L));
    if (page.nextToken() != null) {
      meta.put("next_results", "?max_id=" + (Long.parseLong(page.nextToken()) - 1) + "&q=" + urlEncode(q) + "&count=" + count);
    }
    json(ctx.response(), 200, new JsonObject().put("statuses", statuses).put("search_metadata", meta));
  }

  private void v1Update(RoutingContext ctx) {
    if (!ctx.request().getHeader("Authorization").startsWith("OAuth ")) {
      json(ctx.response(), 403, v1Error(220, "Your credentials do not allow access to this resource."));
      return;
    }
    String text = ctx.request().getFormAttribute("status");
    String inReplyTo = ctx.request().getFormAttribute("in_reply_to_status_id");
    if (text == null) {
      json(ctx.response(), 400, v1Error(170, "Missing required parameter: status."));
      return;
    }
    String author = poster(ctx);
    if (timeline.isDuplicate(author, text)) {
      json(ctx.response(), 403, v1Error(187, "Status is a duplicate."));
      return;
    }
    var post = timeline.publish(author, text, inReplyTo == null ? null : parseId(inReplyTo), null);
    if (Boolean.TRUE.equals(ctx.get("loseResponse"))) {
      ctx.request().connection().close();
      return;
    }
    json(ctx.response(), 200, v1Status(post));
  }

  private void respondV1List(RoutingContext ctx, List<StandInTimeline.StoredPost> posts) {
    JsonArray array = new JsonArray();
    posts.forEach(p -> array.add(v1Status(p)));
    postsServed.addAndGet(posts.size());
    ctx.response().setStatusCode(200).putHeader("content-type", "application/json;charset=utf-8").end(array.encode());
  }

  private JsonObject v1Status(StandInTimeline.StoredPost p) {
    var a = timeline.account(p.authorId());
    JsonObject user = new JsonObject().put("id", Long.parseLong(a.id())).put("id_str", a.id())
      .put("screen_name", a.handle()).put("name", a.name()).put("followers_count", a.followers())
      .put("protected", a.isProtected()).put("created_at", V1_DATE.format(Instant.EPOCH));
    JsonObject json = new JsonObject()
      .put("id", p.id()).put("id_str", String.valueOf(p.id()))
      .put("created_at", V1_DATE.format(p.createdAt()))
      .put("full_text", escape(p.text())).put("text", escape(p.text()))
      .put("truncated", false)
      .put("user", user)
      .put("entities", new JsonObject().put("hashtags", new JsonArray()).put("urls", new JsonArray()).put("user_mentions", new JsonArray()))
      .put("lang", "en");
    if (p.inReplyToId() != null) {
      json.put("in_reply_to_status_id", p.inReplyToId()).put("in_reply_to_status_id_str", String.valueOf(p.inReplyToId()))
        .put("in_reply_to_user_id", Long.parseLong(p.inReplyToUserId())).put("in_reply_to_user_id_str", p.inReplyToUserId());
    }
    if (p.retweetOfId() != null) {
      timeline.post(p.retweetOfId()).ifPresent(original -> json.put("retweeted_status", v1Status(original)));
    }
    return json;
  }

  // ---- control ----

  private void addFault(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      inject(new Fault(Fault.Kind.valueOf(body.getString("kind")), body.getInteger("count", 1),
        body.getString("pathPrefix", "/"), body.getLong("seconds", 5L), body.getInteger("skip", 0)));
      ctx.response().setStatusCode(204).end();
    } catch (RuntimeException e) {
      json(ctx.response(), 400, problem(400, "Invalid Request", String.valueOf(e.getMessage())));
    }
  }

  /** Releases a post: {@code {"authorId","handle","name","followers","protected"?,"text","inReplyTo"?,"retweetOf"?}}. */
  private void addPost(RoutingContext ctx) {
    try {
      JsonObject b = ctx.body().asJsonObject();
      if (b.getBoolean("protected", false)) {
        timeline.protectedAccount(b.getString("authorId"), b.getString("handle"), b.getString("name", b.getString("handle")), b.getLong("followers", 100L));
      } else {
        timeline.account(b.getString("authorId"), b.getString("handle"), b.getString("name", b.getString("handle")), b.getLong("followers", 100L));
      }
      var post = timeline.publish(b.getString("authorId"), b.getString("text"),
        b.getString("inReplyTo") == null ? null : parseId(b.getString("inReplyTo")),
        b.getString("retweetOf") == null ? null : parseId(b.getString("retweetOf")));
      json(ctx.response(), 201, v2Post(post));
    } catch (RuntimeException e) {
      json(ctx.response(), 400, problem(400, "Invalid Request", String.valueOf(e.getMessage())));
    }
  }

  private void listPosts(RoutingContext ctx) {
    String author = ctx.request().getParam("authorId");
    JsonArray out = new JsonArray();
    timeline.all().stream().filter(p -> author == null || author.equals(p.authorId())).forEach(p -> out.add(v2Post(p)));
    json(ctx.response(), 200, new JsonObject().put("data", out));
  }

  /** A stand-in user's profile image, as X serves one from its own host: a small SVG of the handle's first letter. */
  private void avatar(RoutingContext ctx) {
    String id = ctx.pathParam("file").replaceFirst("\\.svg$", "");
    var a = timeline.account(id);
    if (a == null) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    String letter = a.handle() == null || a.handle().isEmpty() ? "?" : a.handle().substring(0, 1).toUpperCase(Locale.ROOT);
    if (!letter.matches("[A-Z0-9]")) letter = "?";
    int hue = Math.floorMod(id.hashCode(), 360);
    ctx.response().putHeader("content-type", "image/svg+xml").end("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"48\" height=\"48\">"
      + "<rect width=\"48\" height=\"48\" fill=\"hsl(" + hue + ",45%,40%)\"/><text x=\"24\" y=\"32\" font-size=\"24\" "
      + "text-anchor=\"middle\" fill=\"#fff\" font-family=\"sans-serif\">" + letter + "</text></svg>");
  }

  // ---- helpers ----

  private static Long sinceId(RoutingContext ctx) {
    String s = ctx.request().getParam("since_id");
    return s == null ? null : parseId(s);
  }

  private static String maxIdToken(RoutingContext ctx) {
    String max = ctx.request().getParam("max_id");
    return max == null ? null : String.valueOf(parseId(max) + 1);
  }

  private static int maxResults(RoutingContext ctx, int min, int max) { return maxResults(ctx, "max_results", min, max); }

  private static int maxResults(RoutingContext ctx, String name, int min, int max) {
    String s = ctx.request().getParam(name);
    if (s == null) return Math.min(max, 20);
    try {
      return Math.max(min, Math.min(max, Integer.parseInt(s)));
    } catch (NumberFormatException e) {
      return Math.min(max, 20);
    }
  }

  private static long parseId(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a post id: " + s);
    }
  }

  /** X escapes these three in post text. */
  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String urlEncode(String s) { return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8); }

  private static JsonObject problem(int status, String title, String detail) {
    return new JsonObject().put("title", title).put("detail", detail).put("type", "about:blank").put("status", status);
  }

  private static JsonObject v1Error(int code, String message) {
    return new JsonObject().put("errors", new JsonArray().add(new JsonObject().put("code", code).put("message", message)));
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8").end(body.encode());
  }
}
