package io.careloop.web;

import io.careloop.listening.MongoSourceRepository;
import io.careloop.queue.SlaService;
import io.careloop.audit.AuditLog;
import io.careloop.listening.Listening;
import io.careloop.brands.PostingAccounts;
import io.careloop.brands.BrandService;
import io.careloop.errors.NotFound;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.careloop.listening.ReadBudget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import static io.careloop.web.Http.*;

/** Team settings for leads and admins: listening sources, service levels, the audit log. Thin handlers: the contract has validated the input, one service call does the work. */
public final class AdminRoutes implements Operations {
  private final MongoSourceRepository sources;
  private final SlaService sla;
  private final AuditLog audit;
  private final Listening listening;
  private final long monthlyReadCap;
  private final BrandService brands;
  private final PostingAccounts accounts;
  private final Clock clock;

  public AdminRoutes(MongoSourceRepository sources, SlaService sla, AuditLog audit, Listening listening, long monthlyReadCap, BrandService brands, PostingAccounts accounts, Clock clock) {
    this.sources = sources;
    this.sla = sla;
    this.audit = audit;
    this.listening = listening;
    this.monthlyReadCap = monthlyReadCap;
    this.brands = brands;
    this.accounts = accounts;
    this.clock = clock;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.ofEntries(
      Map.entry("listSources", this::listSources),
      Map.entry("addSource", this::addSource),
      Map.entry("updateSource", this::updateSource),
      Map.entry("listBrands", this::listBrands),
      Map.entry("addBrand", this::addBrand),
      Map.entry("updateBrand", this::updateBrand),
      Map.entry("getSla", this::getSla),
      Map.entry("putSla", this::putSla),
      Map.entry("listAudit", this::listAudit));
  }

  private void listSources(RoutingContext ctx) {
    Instant now = clock.instant();
    ReadBudget budget = listening.budget();
    respond(ctx, 200, sources.all().compose(list -> budget.used(now).map(used -> new JsonObject()
      .put("items", new JsonArray(list.stream().map(d -> SourceJson.view(d, monthlyReadCap, now)).toList()))
      // The whole account's reads this month, which the cap applies to; a poll stops when a page would not fit.
      .put("readBudget", new JsonObject().put("used", used).put("cap", budget.cap()).put("page", listening.largestPage()))
      .put("serverTime", now.toString()))));
  }

  private void addSource(RoutingContext ctx) {
    String keyword = body(ctx).getString("keyword").trim();
    String brandAsked = body(ctx).getString("brand");
    BrandService.Brand brand = brandAsked == null ? null : brands.find(brandAsked).orElse(null);
    if (brandAsked != null && brand == null) {
      ctx.fail(new NotFound("brand " + brandAsked));
      return;
    }
    respond(ctx, 201, listening.addKeyword(brand == null ? null : brand.handle(), keyword).map(d -> SourceJson.view(d, monthlyReadCap, clock.instant()))
      .compose(v -> audited(audit, ctx, "source.added", v.getString("id"), null, v)));
  }

  private void updateSource(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String id = v.getPathParameters().get("sourceId").getString();
    boolean paused = body(ctx).getBoolean("paused");
    respond(ctx, 200, sources.setPaused(id, paused)
      .compose(d -> d == null ? Future.failedFuture(new NotFound("source " + id)) : Future.succeededFuture(SourceJson.view(d, monthlyReadCap, clock.instant())))
      .compose(after -> audited(audit, ctx, paused ? "source.paused" : "source.resumed", id, null, after)));
  }

  private void listBrands(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("items", new JsonArray(brands.all().stream().map(this::brandView).toList())));
  }

  /**
   * Adds the brand, then listens to its mentions and its keywords. Should listening fail after the brand is stored,
   * the next start listens to its mentions (every stored brand's), and its keywords can be added again.
   */
  private void addBrand(RoutingContext ctx) {
    JsonObject b = body(ctx);
    String actor = Access.user(ctx).username();
    JsonArray keywords = b.getJsonArray("keywords", new JsonArray());
    respond(ctx, 201, brands.add(actor, b.getString("handle"), b.getString("userId"), b.getString("name", ""))
      .compose(brand -> listening.listenTo(brand.handle(), brand.userId())
        .compose(v -> Future.all(keywords.stream().map(k -> listening.addKeyword(brand.handle(), String.valueOf(k).trim())).toList()))
        .map(v -> brandView(brand))));
  }

  private void updateBrand(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    respond(ctx, 200, brands.rename(Access.user(ctx).username(), v.getPathParameters().get("handle").getString(), body(ctx).getString("name"))
      .map(this::brandView));
  }

  private JsonObject brandView(BrandService.Brand brand) {
    return BrandService.view(brand).put("canPost", accounts.connected(brand.handle()));
  }

  private void getSla(RoutingContext ctx) {
    json(ctx, 200, sla.current());
  }

  private void putSla(RoutingContext ctx) {
    respond(ctx, 200, sla.replace(body(ctx), Access.user(ctx).username()));
  }

  private void listAudit(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    RequestParameter limit = v.getQuery().get("limit");
    respond(ctx, 200, audit.find(string(v.getQuery().get("action")), string(v.getQuery().get("actor")),
        limit == null || limit.isNull() ? 100 : limit.getInteger())
      .map(list -> new JsonObject().put("items", new JsonArray(list))));
  }
}
