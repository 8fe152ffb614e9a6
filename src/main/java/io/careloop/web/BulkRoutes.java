package io.careloop.web;

import io.careloop.accounts.Role;
import io.careloop.accounts.UserService;
import io.careloop.audit.AuditLog;
import io.careloop.errors.CareLoopException;
import io.careloop.errors.Forbidden;
import io.careloop.errors.Invalid;
import io.careloop.queue.BulkUndos;
import io.careloop.queue.CaseSafety;
import io.careloop.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static io.careloop.web.Http.*;

/**
 * Acting on many cases in one request: assign, tag, dismiss or resolve a selection, and undo a bulk close. Each case
 * goes through the same {@link CaseActions} call as its single-case route, one after the other (a selection of 200
 * is 200 short writes in a row, not 200 at once), and the answer says per case what happened: a case refused (closed
 * already, held by another, unknown) is reported with the single route's error and never stops the rest. What is
 * wrong for the whole request (a bad body, an assignee nobody can be) is refused before any case is touched.
 */
public final class BulkRoutes implements Operations {
  private static final Logger log = LoggerFactory.getLogger(BulkRoutes.class);

  /** The contract's {@code maxItems}: a page of the queue at most. */
  static final int MAX_CASES = 200;

  private final UserService users;
  private final QueueService queue;
  private final CaseSafety safety;
  private final BulkUndos undos;
  private final AuditLog audit;

  public BulkRoutes(UserService users, QueueService queue, CaseSafety safety, BulkUndos undos, AuditLog audit) {
    this.users = users;
    this.queue = queue;
    this.safety = safety;
    this.undos = undos;
    this.audit = audit;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.of("bulkCases", this::bulkCases, "bulkUndo", this::bulkUndo);
  }

  /** The actions, and the one body field each takes (resolve takes none). */
  enum Action {
    ASSIGN("assignee"), TAG("tags"), DISMISS("reason"), RESOLVE(null);

    final String field;

    Action(String field) { this.field = field; }

    String wire() { return name().toLowerCase(java.util.Locale.ROOT); }

    static Action fromWire(String s) {
      for (Action a : values()) if (a.wire().equals(s)) return a;
      throw new Invalid("unknown-action", "no bulk action " + s + "; one of assign, tag, dismiss, resolve", Map.of("action", String.valueOf(s)));
    }
  }

  /** A checked bulk request: what to do, to which cases (unique, in the order sent), with what. */
  record Request(Action action, List<String> caseIds, JsonObject body) {

    /**
     * The body as the contract validated it, checked for what a schema says badly or not at all: ids given twice,
     * and the field each action needs (and no other action's field, which would be silently ignored otherwise).
     */
    static Request of(JsonObject body) {
      Action action = Action.fromWire(body.getString("action"));
      JsonArray ids = body.getJsonArray("caseIds");
      if (ids == null || ids.isEmpty() || ids.size() > MAX_CASES) {
        throw new Invalid("bad-case-ids", "caseIds lists 1 to " + MAX_CASES + " cases", Map.of("parameter", "caseIds"));
      }
      Set<String> unique = new LinkedHashSet<>();
      Set<String> twice = new LinkedHashSet<>();
      for (Object id : ids) if (!unique.add(String.valueOf(id))) twice.add(String.valueOf(id));
      if (!twice.isEmpty()) {
        throw new Invalid("duplicate-case-ids", "caseIds lists " + String.join(", ", twice) + " more than once",
          Map.of("parameter", "caseIds", "duplicates", new JsonArray(List.copyOf(twice))));
      }
      if (action.field != null && !body.containsKey(action.field)) {
        throw new Invalid("missing-" + action.field, action.wire() + " needs " + action.field, Map.of("parameter", action.field));
      }
      for (Action other : Action.values()) {
        if (other != action && other.field != null && body.containsKey(other.field)) {
          throw new Invalid("unexpected-field", other.field + " goes with " + other.wire() + ", not " + action.wire(), Map.of("parameter", other.field));
        }
      }
      if (action == Action.DISMISS && body.getString("reason").isBlank()) {
        throw new Invalid("missing-reason", "dismiss needs a reason", Map.of("parameter", "reason"));
      }
      return new Request(action, List.copyOf(unique), body);
    }
  }

  private void bulkCases(RoutingContext ctx) {
    String user = Access.user(ctx).username();
    Request request;
    try {
      request = Request.of(body(ctx));
      allowed(Access.user(ctx), request.action());
    } catch (CareLoopException e) {
      ctx.fail(e);
      return;
    }
    JsonObject body = request.body();
    Future<JsonObject> answer = switch (request.action()) {
      case ASSIGN -> {
        String name = body.getString("assignee");
        // The assignee is one for the whole selection: checked once, before any case changes (400 as at single assign).
        yield (name == null ? Future.<String>succeededFuture(null) : users.caseWorker(name).map(UserService.User::username))
          .compose(who -> each(request.action().wire(), request.caseIds(), id -> CaseActions.assign(queue, audit, user, id, who)).map(Report::json));
      }
      case TAG -> {
        List<String> tags = body.getJsonArray("tags").stream().map(String::valueOf).toList();
        yield each(request.action().wire(), request.caseIds(), id -> CaseActions.addTags(queue, id, tags)).map(Report::json);
      }
      case DISMISS -> closing(request, user, id -> CaseActions.dismiss(queue, audit, user, id, body.getString("reason")));
      case RESOLVE -> closing(request, user, id -> CaseActions.resolve(queue, audit, user, id));
    };
    respond(ctx, 200, answer);
  }

  /** Assigning is a lead's, as at {@code POST /api/cases/{id}/assign}; the rest is for those who work cases, as on one case. */
  private static void allowed(UserService.User caller, Action action) {
    if (action == Action.ASSIGN) {
      if (!caller.has(Role.LEAD)) throw new Forbidden("only a lead assigns cases");
    } else if (UserService.WORK_CASES.stream().noneMatch(caller::has)) {
      throw new Forbidden("only an agent or community manager can " + action.wire() + " cases");
    }
  }

  /** A bulk close: the per-case report, and one token that undoes every close that happened. */
  private Future<JsonObject> closing(Request request, String user, Function<String, Future<CaseActions.Closed>> close) {
    List<BulkUndos.Pair> closed = new ArrayList<>();
    Instant[] expires = {null};
    return each(request.action().wire(), request.caseIds(), id -> close.apply(id).map(c -> {
      closed.add(new BulkUndos.Pair(id, c.closed().undo()));
      Instant at = c.closed().undoExpiresAt();
      if (expires[0] == null || at.isBefore(expires[0])) expires[0] = at;
      return c.view();
    })).compose(report -> {
      if (closed.isEmpty()) return Future.succeededFuture(report.json());
      // The cases are closed whatever happens to the token: a token that could not be stored is said so, and each
      // case's own undo (in its view) still works.
      return undos.issue(user, closed, expires[0])
        .map(issued -> report.json().put("undo", new JsonObject().put("token", issued.token()).put("expiresAt", issued.expiresAt().toString())))
        .recover(e -> {
          log.warn("Could not store the bulk undo of {} cases", closed.size(), e);
          Failures.Mapped m = Failures.answer(e);
          return Future.succeededFuture(report.json().put("undoError", m.body()));
        });
    });
  }

  private void bulkUndo(RoutingContext ctx) {
    String user = Access.user(ctx).username();
    respond(ctx, 200, undos.take(body(ctx).getString("token"), user).compose(pairs -> {
      Map<String, String> tokens = new java.util.LinkedHashMap<>();
      pairs.forEach(p -> tokens.put(p.caseId(), p.token()));
      return each("undo", List.copyOf(tokens.keySet()), id -> CaseActions.undo(safety, audit, user, id, tokens.get(id))).map(Report::json);
    }));
  }

  /** What happened to each case, in the order asked. */
  record Report(String action, JsonArray results, int done, int refused) {
    JsonObject json() {
      return new JsonObject().put("action", action).put("results", results).put("done", done).put("refused", refused);
    }
  }

  /**
   * Runs {@code act} on each case in turn. A refusal ({@link CareLoopException}) is that case's result; anything else
   * (the database gone) stops the run there: that case says what happened and the rest say they were not tried, so
   * the answer never hides which cases changed.
   */
  private Future<Report> each(String action, List<String> caseIds, Function<String, Future<JsonObject>> act) {
    JsonArray results = new JsonArray();
    int[] counts = {0, 0};
    boolean[] stopped = {false};
    Future<Void> chain = Future.succeededFuture();
    for (String id : caseIds) {
      chain = chain.compose(v -> {
        if (stopped[0]) {
          counts[1]++;
          results.add(refused(id, new JsonObject().put("error", "not-attempted")
            .put("message", "not tried: an earlier case failed for a reason that is not this case's")));
          return Future.succeededFuture();
        }
        return act.apply(id).<Void>map(view -> {
          counts[0]++;
          JsonObject done = new JsonObject().put("caseId", id).put("ok", true).put("case", view);
          // Changed, but its audit entry was not written: the database is likely going; the rest is not tried.
          if (view.containsKey("auditError")) {
            done.put("auditError", view.remove("auditError"));
            stopped[0] = true;
          }
          results.add(done);
          return null;
        }).recover(e -> {
          counts[1]++;
          Failures.Mapped m = Failures.answer(e);
          if (!(e instanceof CareLoopException)) {
            stopped[0] = true;
            log.warn("Bulk {} stopped at case {}", action, id, e);
          }
          results.add(refused(id, m.body().put("status", m.status())));
          return Future.succeededFuture();
        });
      });
    }
    return chain.map(v -> new Report(action, results, counts[0], counts[1]));
  }

  private static JsonObject refused(String caseId, JsonObject error) {
    return new JsonObject().put("caseId", caseId).put("ok", false).mergeIn(error);
  }
}
