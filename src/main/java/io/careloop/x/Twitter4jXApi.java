package io.careloop.x;

import io.careloop.config.Settings;
import twitter4j.JSONException;
import twitter4j.Paging;
import twitter4j.PaginationToken;
import twitter4j.Query;
import twitter4j.QueryResult;
import twitter4j.RateLimitStatus;
import twitter4j.ResponseList;
import twitter4j.Status;
import twitter4j.StatusUpdate;
import twitter4j.Tweet;
import twitter4j.TweetsResponse;
import twitter4j.Twitter;
import twitter4j.TwitterException;
import twitter4j.TwitterFactory;
import twitter4j.TwitterV2;
import twitter4j.TwitterV2ExKt;
import twitter4j.User2;
import twitter4j.V2ConfigurationKt;
import twitter4j.conf.ConfigurationBuilder;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link XApi} over Twitter4J: X API v2 through the {@code jp.takke.twitter4j-v2} extension, or v1.1 through
 * Twitter4J itself. Reads use the bearer token when there is one (app limits), posts use OAuth 1.0a user context.
 */
public final class Twitter4jXApi implements XApi {
  static final String TWEET_FIELDS = "created_at,conversation_id,referenced_tweets,in_reply_to_user_id,lang,author_id";
  // profile_image_url: the avatar an agent sees beside each post; the referenced-tweet expansions bring the parent post.
  static final String USER_FIELDS = "username,name,public_metrics,protected,profile_image_url";
  static final String EXPANSIONS = "author_id,referenced_tweets.id,referenced_tweets.id.author_id";
  private static final int V2_PAGE = 100;
  private static final int V1_PAGE = 200;

  static {
    // HttpURLConnection silently re-sends a POST whose connection dropped: a reply could be posted twice behind
    // CareLoop's back. CareLoop decides about retries itself (after looking the post up), so switch it off.
    System.setProperty("sun.net.http.retryPost", "false");
  }

  private final Settings.XSettings settings;
  private final Twitter reader;
  private final Twitter poster;
  private final AvatarUrls avatars;

  public Twitter4jXApi(Settings.XSettings settings) {
    this.settings = settings;
    this.avatars = new AvatarUrls(settings.baseUrl());
    Settings.Credentials c = settings.credentials();
    this.poster = twitter(settings, false);
    this.reader = c.bearerToken() != null ? twitter(settings, true) : poster;
  }

  @Override
  public int largestPage() {
    return settings.v1() ? V1_PAGE : V2_PAGE;
  }

  private static Twitter twitter(Settings.XSettings settings, boolean bearer) {
    Settings.Credentials c = settings.credentials();
    int timeout = (int) settings.timeout().toMillis();
    ConfigurationBuilder cb = new ConfigurationBuilder()
      .setRestBaseURL(settings.baseUrl() + "/1.1/")
      .setHttpConnectionTimeout(timeout)
      .setHttpReadTimeout(timeout)
      // Twitter4J would sleep on this thread between its own retries; CareLoop retries with X's backoff rules.
      .setHttpRetryCount(0)
      .setTweetModeExtended(true)
      .setTrimUserEnabled(false)
      .setOAuthConsumerKey(nullToEmpty(c.consumerKey()))
      .setOAuthConsumerSecret(nullToEmpty(c.consumerSecret()));
    if (bearer) {
      cb.setApplicationOnlyAuthEnabled(true).setOAuth2TokenType("bearer").setOAuth2AccessToken(c.bearerToken());
    } else {
      cb.setOAuthAccessToken(nullToEmpty(c.accessToken())).setOAuthAccessTokenSecret(nullToEmpty(c.accessTokenSecret()));
    }
    Twitter twitter = new TwitterFactory(cb.build()).getInstance();
    V2ConfigurationKt.getV2Configuration(twitter.getConfiguration()).setBaseURL(settings.baseUrl() + "/2/");
    return twitter;
  }

  @Override
  public PostPage mentions(String userId, String sinceId, String pageToken) throws XFailure {
    if (settings.v1()) {
      return call(() -> v1Page(reader.getMentionsTimeline(paging(sinceId, pageToken))));
    }
    return call(() -> v2Page(v2(reader).getUserMentions(Long.parseLong(userId), null, EXPANSIONS, V2_PAGE, null,
      token(pageToken), null, null, toLong(sinceId), null, TWEET_FIELDS, null, USER_FIELDS)));
  }

  @Override
  public PostPage search(String query, String sinceId, String pageToken) throws XFailure {
    if (settings.v1()) {
      Query q = new Query(query).count(100).resultType(Query.ResultType.recent);
      if (sinceId != null) q.setSinceId(Long.parseLong(sinceId));
      if (pageToken != null) q.setMaxId(Long.parseLong(pageToken));
      return call(() -> {
        QueryResult result = reader.search(q);
        List<Post> posts = result.getTweets().stream().map(this::fromV1).toList();
        String next = result.hasNext() && !posts.isEmpty() ? String.valueOf(result.nextQuery().getMaxId()) : null;
        return new PostPage(posts, posts.isEmpty() ? null : posts.get(0).id(), next);
      });
    }
    return call(() -> v2Page(v2(reader).searchRecent(query, null, EXPANSIONS, V2_PAGE, null,
      token(pageToken), null, null, toLong(sinceId), null, TWEET_FIELDS, null, USER_FIELDS)));
  }

  @Override
  public Post reply(String inReplyToPostId, String text) throws XFailure {
    Long target = inReplyToPostId == null ? null : Long.parseLong(inReplyToPostId);
    if (settings.v1()) {
      StatusUpdate update = new StatusUpdate(text);
      if (target != null) update.inReplyToStatusId(target);
      return call(() -> fromV1(poster.updateStatus(update)));
    }
    return call(() -> {
      var created = v2(poster).createTweet(null, null, null, null, null, null, null, null, null, target, null, text);
      // v2 answers a new post with its id and text only: no time. The outbox stamps it on the clock CareLoop runs on
      // (the care team's clock, which tests and the demo's past month set), not this machine's.
      return new Post(String.valueOf(created.getId()), null, null, null, 0, text, null, null, inReplyToPostId, false);
    });
  }

  @Override
  public Post post(String text) throws XFailure {
    return reply(null, text);
  }

  @Override
  public Optional<Post> findReply(String brandUserId, String inReplyToPostId, String text) throws XFailure {
    if (settings.v1()) {
      return call(() -> poster.getUserTimeline(Long.parseLong(brandUserId), new Paging(1, V1_PAGE)).stream()
        .map(this::fromV1)
        .filter(p -> Objects.equals(inReplyToPostId, p.inReplyToPostId()) && text.equals(p.text()))
        .findFirst());
    }
    return call(() -> v2Page(v2(poster).getUserTweets(Long.parseLong(brandUserId), null, null, EXPANSIONS, V2_PAGE, null,
      null, null, null, null, null, TWEET_FIELDS, null, USER_FIELDS)).posts().stream()
      .filter(p -> Objects.equals(inReplyToPostId, p.inReplyToPostId()) && text.equals(p.text()))
      .findFirst());
  }

  @Override
  public Optional<Post> findPost(String brandUserId, String text) throws XFailure {
    return findReply(brandUserId, null, text);
  }

  private static TwitterV2 v2(Twitter twitter) { return TwitterV2ExKt.getV2(twitter); }

  private PostPage v2Page(TweetsResponse response) {
    List<Post> posts = new ArrayList<>();
    for (Tweet t : response.getTweets()) {
      User2 author = t.getAuthorId() == null ? null : response.getUsersMap().get(t.getAuthorId());
      posts.add(new Post(
        String.valueOf(t.getId()),
        t.getAuthorId() == null ? null : String.valueOf(t.getAuthorId()),
        author == null ? null : author.getScreenName(),
        author == null ? null : author.getName(),
        author == null || author.getPublicMetrics() == null ? 0 : author.getPublicMetrics().getFollowersCount(),
        unescapeX(t.getText()),
        t.getCreatedAt() == null ? Instant.now() : t.getCreatedAt().toInstant(),
        t.getConversationId() == null ? String.valueOf(t.getId()) : String.valueOf(t.getConversationId()),
        t.getRepliedToTweetId() == null ? null : String.valueOf(t.getRepliedToTweetId()),
        t.isRetweet(),
        author != null && author.getProtected(),
        author == null ? null : avatars.allowed(author.getProfileImageUrl()),
        parent(response, t.getRepliedToTweetId())));
    }
    var meta = response.getMeta();
    String newest = meta != null && meta.getNewestId() != null ? String.valueOf(meta.getNewestId())
      : posts.isEmpty() ? null : posts.get(0).id();
    String next = meta == null || meta.getNextToken() == null ? null : meta.getNextToken().getValue();
    return new PostPage(List.copyOf(posts), newest, next);
  }

  /** The replied-to post when X included it ({@code expansions=referenced_tweets.id}); X leaves out deleted or hidden ones. */
  private static Post.Parent parent(TweetsResponse response, Long repliedTo) {
    if (repliedTo == null) return null;
    Tweet p = response.getTweetsMap().get(repliedTo);
    if (p == null) return null;
    User2 author = p.getAuthorId() == null ? null : response.getUsersMap().get(p.getAuthorId());
    return new Post.Parent(String.valueOf(p.getId()), unescapeX(p.getText()), author == null ? null : author.getScreenName(),
      author == null ? null : author.getName(), p.getCreatedAt() == null ? null : p.getCreatedAt().toInstant());
  }

  private PostPage v1Page(ResponseList<Status> statuses) {
    List<Post> posts = statuses.stream().map(this::fromV1).toList();
    // v1.1 pages backwards with max_id: the next page starts just below the oldest post of this one.
    String next = statuses.size() < V1_PAGE ? null
      : String.valueOf(statuses.stream().mapToLong(Status::getId).min().orElseThrow() - 1);
    return new PostPage(posts, posts.isEmpty() ? null : posts.get(0).id(), next);
  }

  private Post fromV1(Status s) {
    // v1.1 has no conversation id; the case router falls back to the replied-to post.
    return new Post(
      String.valueOf(s.getId()),
      s.getUser() == null ? null : String.valueOf(s.getUser().getId()),
      s.getUser() == null ? null : s.getUser().getScreenName(),
      s.getUser() == null ? null : s.getUser().getName(),
      s.getUser() == null ? 0 : s.getUser().getFollowersCount(),
      s.getText(),
      s.getCreatedAt() == null ? Instant.now() : s.getCreatedAt().toInstant(),
      null,
      s.getInReplyToStatusId() > 0 ? String.valueOf(s.getInReplyToStatusId()) : null,
      s.isRetweet(),
      s.getUser() != null && s.getUser().isProtected(),
      s.getUser() == null ? null : avatars.allowed(s.getUser().getProfileImageURLHttps()),
      null);
  }

  private static Paging paging(String sinceId, String pageToken) {
    Paging paging = new Paging().count(V1_PAGE);
    if (sinceId != null) paging.setSinceId(Long.parseLong(sinceId));
    if (pageToken != null) paging.setMaxId(Long.parseLong(pageToken));
    return paging;
  }

  /** X escapes {@code < > &} in post text; v1.1 Twitter4J undoes it, the v2 extension does not. */
  static String unescapeX(String text) {
    if (text == null) return "";
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }

  @FunctionalInterface
  private interface Call<T> { T run() throws TwitterException; }

  private static <T> T call(Call<T> call) throws XFailure {
    try {
      return call.run();
    } catch (TwitterException e) {
      throw classify(e);
    } catch (RuntimeException e) {
      // The v2 extension parses lazily and throws unchecked errors on JSON it did not expect.
      throw new XFailure(XFailure.Kind.MALFORMED, 0, null, "unexpected response from X: " + e, e);
    }
  }

  static XFailure classify(TwitterException e) {
    int status = e.getStatusCode();
    if (status == 429 || e.exceededRateLimitation()) {
      // getRetryAfter() is -1 for 429 and X sends no Retry-After: the reset time is the rate limit status.
      RateLimitStatus limit = e.getRateLimitStatus();
      Instant reset = limit == null || limit.getResetTimeInSeconds() <= 0 ? null : Instant.ofEpochSecond(limit.getResetTimeInSeconds());
      return new XFailure(XFailure.Kind.RATE_LIMITED, 429, reset, "rate limited by X", e);
    }
    if (status >= 500) {
      return new XFailure(XFailure.Kind.SERVER_ERROR, status, null, "X answered " + status, e);
    }
    if (status <= 0) {
      if (e.getCause() instanceof JSONException) {
        return new XFailure(XFailure.Kind.MALFORMED, 0, null, "malformed JSON from X", e);
      }
      if (e.isCausedByNetworkIssue() || e.getCause() instanceof IOException) {
        return new XFailure(XFailure.Kind.NETWORK, 0, null, "network error: " + e.getCause(), e);
      }
      return new XFailure(XFailure.Kind.MALFORMED, 0, null, "unexpected failure talking to X: " + e.getErrorMessage(), e);
    }
    String detail = e.getErrorMessage() != null ? e.getErrorMessage() : firstLine(e.getMessage());
    return new XFailure(XFailure.Kind.REJECTED, status, null, "X refused the request (" + status + "): " + detail, e);
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) : line;
  }

  private static PaginationToken token(String token) { return token == null ? null : new PaginationToken(token); }

  private static Long toLong(String id) { return id == null ? null : Long.valueOf(id); }

  private static String nullToEmpty(String s) { return s == null ? "" : s; }
}
