package io.careloop.web;

import io.careloop.listening.SourcePoller;
import io.careloop.accounts.Role;
import io.careloop.accounts.UserService;
import io.careloop.queue.CaseEvents;
import io.careloop.queue.Presence;
import io.careloop.queue.SlaEvents;
import io.careloop.queue.SlaMonitor;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.sstore.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-sent events to the console: a short notice for each case or source change; the console then fetches what
 * it shows from the API, so a missed notice costs a refresh, never data. Only the addresses listed here are forwarded,
 * escalations only to leads.
 *
 * <p>A stream lives no longer than the session that opened it: it ends at once when that session signs out, when its
 * account is disabled or its roles or password change (each ends the account's sessions), and within
 * {@code recheck} when the session expires (idle or absolute lifetime) or a change was announced on another node
 * only. Between those checks every notice is held against the roles the account had at the last one, and none is
 * sent while a change announced for the account is being checked.
 */
final class LiveEvents {
  private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
  /** Published (to every node) when a session signs out; the body is the session id. */
  static final String SESSION_ENDED = "careloop.web.session-ended";
  static final Duration RECHECK = Duration.ofSeconds(5);
  /**
   * Streams one account may hold open on this node (a few tabs): the next one ends the oldest, so a stolen session
   * cannot hold every connection of the server with event streams.
   */
  static final int PER_USER = 4;

  private final Vertx vertx;
  private final UserService users;
  private final SessionStore sessions;
  private final Clock clock;
  private final Duration absoluteLifetime;
  private final Set<Role> streamRoles;
  private final Map<Stream, Boolean> streams = new ConcurrentHashMap<>();
  private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

  /** One open stream and what it was opened with. */
  private final class Stream {
    final RoutingContext ctx;
    final String sessionId;
    final String username;
    final long epoch;
    final long loginAt;
    final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
    long heartbeat;
    final long opened = SEQUENCE.incrementAndGet();
    volatile UserService.User user;
    volatile boolean suspended;
    volatile boolean closed;
    /** Bumped by every re-check; only the newest may lift a suspension or change the roles. */
    final java.util.concurrent.atomic.AtomicLong checks = new java.util.concurrent.atomic.AtomicLong();

    Stream(RoutingContext ctx, UserService.User user) {
      this.ctx = ctx;
      this.user = user;
      this.sessionId = ctx.session().id();
      this.username = user.username();
      Long e = ctx.session().get(Access.EPOCH);
      this.epoch = e == null ? -1 : e;
      Long at = ctx.session().get(Access.LOGIN_AT);
      this.loginAt = at == null ? 0 : at;
    }

    /** Roles as of the last check: escalations for leads, everything else for the roles that may open a stream. */
    boolean mayReceive(String event) {
      UserService.User u = user;
      if (closed || suspended) return false;
      if (event.equals("escalation")) return u.has(Role.LEAD);
      return streamRoles.stream().anyMatch(u::has);
    }
  }

  LiveEvents(Vertx vertx, UserService users, SessionStore sessions, Clock clock, Duration absoluteLifetime, List<Role> streamRoles) {
    this.vertx = vertx;
    this.users = users;
    this.sessions = sessions;
    this.clock = clock;
    this.absoluteLifetime = absoluteLifetime;
    this.streamRoles = Set.copyOf(streamRoles);
    vertx.eventBus().<String>consumer(UserService.CHANGED, m -> streams.keySet().stream()
      .filter(s -> s.username.equals(m.body())).forEach(s -> {
        s.suspended = true;
        recheck(s);
      }));
    vertx.eventBus().<String>consumer(SESSION_ENDED, m -> streams.keySet().stream()
      .filter(s -> s.sessionId.equals(m.body())).forEach(s -> close(s, "signed out")));
    vertx.setPeriodic(RECHECK.toMillis(), t -> streams.keySet().forEach(this::recheck));
  }

  void stream(RoutingContext ctx, UserService.User user) {
    var response = ctx.response();
    response.setChunked(true)
      .putHeader("content-type", "text/event-stream; charset=utf-8")
      .putHeader("cache-control", "no-cache")
      .putHeader("x-accel-buffering", "no");
    response.write("retry: 2000\n\n");
    Stream stream = new Stream(ctx, user);
    forward(stream, CaseEvents.CASE_UPDATED, "case");
    forward(stream, SourcePoller.HEALTH_EVENT, "source");
    forward(stream, SlaEvents.ADDRESS, "sla");
    forward(stream, Presence.ADDRESS, "viewers");
    // Escalations are for leads: they decide who takes a breached case.
    forward(stream, SlaMonitor.ESCALATED, "escalation");
    stream.heartbeat = vertx.setPeriodic(15_000, t -> {
      if (!response.closed()) response.write(": keep-alive\n\n");
    });
    streams.put(stream, Boolean.TRUE);
    response.closeHandler(v -> close(stream, null));
    // The connection may have gone while the access check read the account: then no close handler will ever run.
    if (response.closed()) {
      close(stream, null);
      return;
    }
    streams.keySet().stream().filter(s -> s.username.equals(stream.username) && !s.closed)
      .sorted(java.util.Comparator.comparingLong((Stream s) -> s.opened).reversed())
      .skip(PER_USER).forEach(s -> close(s, "more than " + PER_USER + " streams open for this account"));
  }

  private void forward(Stream stream, String address, String event) {
    stream.consumers.add(vertx.eventBus().<JsonObject>consumer(address, m -> send(stream, event, m.body())));
  }

  /** The session, its lifetime and the account as they are now; anything gone or changed ends the stream. */
  private void recheck(Stream s) {
    if (s.closed) return;
    long check = s.checks.incrementAndGet();
    if (Instant.ofEpochMilli(s.loginAt).plus(absoluteLifetime).isBefore(clock.instant())) {
      close(s, "session lifetime over");
      return;
    }
    sessions.get(s.sessionId)
      .compose(session -> {
        if (session == null) {
          close(s, "session expired");
          return io.vertx.core.Future.succeededFuture();
        }
        return users.current(s.username, s.epoch).onSuccess(current -> {
          if (current.isEmpty()) {
            close(s, "account changed or disabled");
          } else if (s.checks.get() == check) {
            // An older check that read the account before a change must not lift the change's suspension.
            s.user = current.get();
            s.suspended = false;
          }
        }).mapEmpty();
      })
      // The database being away is no reason to cut a console off; the next check decides.
      .onFailure(e -> log.debug("Could not re-check the event stream of {}", s.username, e));
  }

  private void close(Stream s, String why) {
    if (s.closed) return;
    s.closed = true;
    streams.remove(s);
    vertx.cancelTimer(s.heartbeat);
    s.consumers.forEach(MessageConsumer::unregister);
    if (why != null) log.info("Event stream of {} ended: {}", s.username, why);
    if (!s.ctx.response().closed() && !s.ctx.response().ended()) s.ctx.response().end();
  }

  private void send(Stream s, String event, JsonObject body) {
    if (!s.mayReceive(event)) return;
    var response = s.ctx.response();
    if (response.closed() || response.writeQueueFull()) return;
    response.write("event: " + event + "\ndata: " + body.encode() + "\n\n").onFailure(e -> close(s, null));
  }
}
