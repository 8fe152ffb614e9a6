package io.careloop.web;

import io.careloop.queue.CaseFilter;
import io.careloop.queue.CaseSearch;
import io.careloop.queue.SavedViews;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static io.careloop.web.Http.*;

/** Search over every case with filters, and each user's saved views. Thin handlers: {@link CaseFilter} reads the parameters. */
public final class SearchRoutes implements Operations {
  private final CaseSearch search;
  private final SavedViews views;
  private final Clock clock;

  public SearchRoutes(CaseSearch search, SavedViews views, Clock clock) {
    this.search = search;
    this.views = views;
    this.clock = clock;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.of(
      "searchCases", this::searchCases,
      "listSavedViews", this::listSavedViews,
      "saveView", this::saveView,
      "deleteView", this::deleteView);
  }

  private void searchCases(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    Map<String, String> p = new HashMap<>();
    for (String name : CaseFilter.PARAMETERS) {
      String value = string(v.getQuery().get(name));
      if (value != null) p.put(name, value);
    }
    RequestParameter limit = v.getQuery().get("limit");
    int max = limit == null || limit.isNull() ? 50 : limit.getInteger();
    respond(ctx, 200, search.search(p, Access.user(ctx).username(), max, string(v.getQuery().get("cursor")))
      .map(found -> new JsonObject()
        .put("items", new JsonArray(found.cases().stream().map(CaseJson::view).toList()))
        .put("next", found.next()).put("total", found.total()).put("serverTime", clock.instant().toString())));
  }

  private void listSavedViews(RoutingContext ctx) {
    respond(ctx, 200, views.of(Access.user(ctx).username())
      .map(list -> new JsonObject().put("items", new JsonArray(list.stream().map(SavedViews.View::json).toList()))));
  }

  private void saveView(RoutingContext ctx) {
    respond(ctx, 200, views.save(Access.user(ctx).username(), viewName(ctx), body(ctx).getString("filter")).map(SavedViews.View::json));
  }

  private void deleteView(RoutingContext ctx) {
    Answer.after(ctx, views.delete(Access.user(ctx).username(), viewName(ctx)), v -> ctx.response().setStatusCode(204).end());
  }

  private static String viewName(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    return v.getPathParameters().get("name").getString();
  }
}
