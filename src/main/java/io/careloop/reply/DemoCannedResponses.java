package io.careloop.reply;

import io.vertx.core.Future;

import java.util.List;

/**
 * A few canned responses in the demo brand's voice, so {@code t} in the composer opens a list a newcomer can try.
 * Created only in demo mode, and only when there are none.
 */
public final class DemoCannedResponses {
  private DemoCannedResponses() {}

  private record Canned(String id, String title, String body) {}

  private static final List<Canned> RESPONSES = List.of(
    new Canned("demo-looking-into-it", "Looking into it",
      "Hi {{customer.name}}, sorry about this! I'm looking into it now and will reply here as soon as I know more. ^{{agent.name}}"),
    new Canned("demo-kb-answer", "Here's how (with the article)",
      "Hi {{customer.name}}, good question! This guide walks you through it step by step: {{kb.url}} ^{{agent.name}}"),
    new Canned("demo-move-to-dm", "Move to DM",
      "Hi {{customer.name}}, so we can look at your account safely, could you send us a DM with your workspace name? Please don't share passwords. ^{{agent.name}}"),
    new Canned("demo-outage", "Known incident",
      "Hi {{customer.name}}, we're aware of this and the team is on it. Live updates are on our status page; sorry for the disruption. ^{{agent.name}}"),
    new Canned("demo-thanks", "Thanks for the kind words",
      "Thanks so much, {{customer.name}}! We'll pass this on to the team, it made our day. ^{{agent.name}}"));

  public static Future<Void> seedIfEmpty(CannedResponses canned) {
    return canned.list().compose(existing -> {
      if (!existing.isEmpty()) return Future.succeededFuture();
      Future<Void> chain = Future.succeededFuture();
      for (Canned c : RESPONSES) chain = chain.compose(v -> canned.save(c.id(), c.title(), c.body(), "careloop-demo").mapEmpty());
      return chain;
    });
  }
}
