package io.careloop.web;

import io.careloop.audit.AuditLog;
import io.careloop.errors.Invalid;
import io.careloop.queue.CaseSafety;
import io.careloop.queue.QueueService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What one action does to one case, with its audit entry, as the single-case routes answer it: shared by those routes
 * and the bulk route, so a case closed from a selection has the same rules, SLA events, audit entry and live event as
 * one closed on its own. Each is the service call and then its audit (none when the service refuses).
 */
final class CaseActions {
  /** How many tags a case carries at most: the tags route's {@code maxItems}. */
  static final int MAX_TAGS = 10;

  private static final Logger log = LoggerFactory.getLogger(CaseActions.class);

  private CaseActions() {}

  /** The dismissed case with its undo ({@link SafetyRoutes#withUndo}); audited {@code case.dismissed} with the reason. */
  static Future<Closed> dismiss(QueueService queue, AuditLog audit, String user, String caseId, String reason) {
    return queue.dismissUndoably(caseId, user, reason).compose(closed -> {
      JsonObject c = SafetyRoutes.withUndo(closed);
      return afterChange(audit.record(user, "case.dismissed", c.getString("id"), null, new JsonObject().put("reason", reason)), c, "dismissed")
        .map(new Closed(closed, c));
    });
  }

  /** The resolved case with its undo; audited {@code case.resolved}. */
  static Future<Closed> resolve(QueueService queue, AuditLog audit, String user, String caseId) {
    return queue.resolveUndoably(caseId, user).compose(closed -> {
      JsonObject c = SafetyRoutes.withUndo(closed);
      return afterChange(audit.record(user, "case.resolved", c.getString("id"), null, null), c, "resolved").map(new Closed(closed, c));
    });
  }

  /** A close's service answer and its API view. */
  record Closed(QueueService.Closed closed, JsonObject view) {}

  /**
   * The case handed to {@code assignee}, who must already be a case worker as stored ({@code UserService.caseWorker}),
   * or back to the queue with null; audited {@code case.assigned}.
   */
  static Future<JsonObject> assign(QueueService queue, AuditLog audit, String user, String caseId, String assignee) {
    return queue.assign(caseId, assignee).map(CaseJson::view)
      .compose(c -> afterChange(audit.record(user, "case.assigned", c.getString("id"), null, new JsonObject().put("assignee", assignee)), c, "assigned"));
  }

  /**
   * The case with {@code tags} added to its own, through the same write as the tags route (no audit entry, as there).
   * 400 {@code too-many-tags} when the case would carry more than the route allows.
   */
  static Future<JsonObject> addTags(QueueService queue, String caseId, List<String> tags) {
    return queue.get(caseId).compose(found -> {
      TreeSet<String> all = new TreeSet<>(found.tags());
      all.addAll(tags);
      if (all.size() > MAX_TAGS) {
        return Future.failedFuture(new Invalid("too-many-tags", "case " + caseId + " would carry " + all.size() + " tags; at most " + MAX_TAGS,
          Map.of("tags", found.tags())));
      }
      return queue.setTags(caseId, List.copyOf(all)).map(CaseJson::view);
    });
  }

  /** The case as before its close ({@link CaseSafety#undo}); audited {@code case.undone} with the state it is back in. */
  static Future<JsonObject> undo(CaseSafety safety, AuditLog audit, String user, String caseId, String token) {
    return safety.undo(caseId, token, user).map(CaseJson::view)
      .compose(c -> afterChange(audit.record(user, "case.undone", c.getString("id"), null, new JsonObject().put("state", c.getString("state"))), c, "undone"));
  }

  /**
   * The change is made once the queue call succeeded: an audit entry that then fails to be written must not make the
   * answer say the case was not changed (a bulk undo would skip it, a retry would be refused). The case's view says
   * so in {@code auditError} and the log has the cause.
   */
  private static Future<JsonObject> afterChange(Future<Void> entry, JsonObject view, String what) {
    return entry.map(view).recover(e -> {
      log.error("Case {} was {} but its audit entry could not be written", view.getString("id"), what, e);
      return Future.succeededFuture(view.put("auditError", Failures.answer(e).body()));
    });
  }
}
