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

import java.util.List;

/**
 * Server-sent events to the console: a short notice for each case or source change; the console then fetches what
 * it shows from the API, so a missed notice costs a refresh, never data. Only the addresses listed here are forwarded,
 * escalations only to leads.
 */
final class LiveEvents {
  private LiveEvents() {}

  static void stream(Vertx vertx, RoutingContext ctx, UserService.User user) {
    var response = ctx.response();
    response.setChunked(true)
      .putHeader("content-type", "text/event-stream; charset=utf-8")
      .putHeader("cache-control", "no-cache")
      .putHeader("x-accel-buffering", "no");
    response.write("retry: 2000\n\n");
    List<MessageConsumer<JsonObject>> consumers = new java.util.ArrayList<>(List.of(
      vertx.eventBus().<JsonObject>consumer(CaseEvents.CASE_UPDATED, m -> send(ctx, "case", m.body())),
      vertx.eventBus().<JsonObject>consumer(SourcePoller.HEALTH_EVENT, m -> send(ctx, "source", m.body())),
      vertx.eventBus().<JsonObject>consumer(SlaEvents.ADDRESS, m -> send(ctx, "sla", m.body())),
      vertx.eventBus().<JsonObject>consumer(Presence.ADDRESS, m -> send(ctx, "viewers", m.body()))));
    if (user.has(Role.LEAD)) {
      // Escalations are for leads: they decide who takes a breached case.
      consumers.add(vertx.eventBus().<JsonObject>consumer(SlaMonitor.ESCALATED, m -> send(ctx, "escalation", m.body())));
    }
    long heartbeat = vertx.setPeriodic(15_000, t -> {
      if (!response.closed()) response.write(": keep-alive\n\n");
    });
    response.closeHandler(v -> {
      vertx.cancelTimer(heartbeat);
      consumers.forEach(MessageConsumer::unregister);
    });
  }

  private static void send(RoutingContext ctx, String event, JsonObject body) {
    if (ctx.response().closed() || ctx.response().writeQueueFull()) return;
    ctx.response().write("event: " + event + "\ndata: " + body.encode() + "\n\n");
  }
}
