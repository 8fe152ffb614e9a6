package io.careloop.queue;

import io.careloop.store.Dates;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The open queue's own bookkeeping, without a database (cases read from stored documents as the repository does): order, cursors, closing, and a late copy of a new case. */
class OpenQueueRulesTest {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  final OpenQueue queue = new OpenQueue(c -> (c.id() + ":" + c.state().wire()).getBytes(StandardCharsets.UTF_8));

  static JsonObject doc(String id, CaseState state, int dueInMinutes) {
    Instant due = NOW.plusSeconds(60L * dueInMinutes);
    return new JsonObject().put("_id", id).put("state", state.wire()).put("dueAt", Dates.bson(due))
      .put("order", QueueOrder.key(state, due, NOW, id));
  }

  List<String> page(int limit, String after) {
    return queue.page(e -> true, limit, after).items().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
  }

  @Test
  void pagesFollowTheOrderAndTheCursorEndsOnTheLastPage() {
    queue.apply(CaseDocuments.fromDocument(doc("c", CaseState.NEW, 30)));
    queue.apply(CaseDocuments.fromDocument(doc("a", CaseState.NEW, 10)));
    queue.apply(CaseDocuments.fromDocument(doc("b", CaseState.CLAIMED, 20)));
    OpenQueue.Page first = queue.page(e -> true, 2, null);
    assertEquals(List.of("a:new", "b:claimed"), first.items().stream().map(String::new).toList());
    assertNotNull(first.next());
    assertEquals(List.of("c:new"), page(2, first.next()));
    assertNull(queue.page(e -> true, 2, first.next()).next(), "no cursor when nothing follows");
    assertNull(queue.page(e -> true, 3, null).next(), "exactly a page: no cursor to an empty page");
  }

  @Test
  void aChangedCaseMovesAndAClosedOneLeaves() {
    queue.apply(CaseDocuments.fromDocument(doc("a", CaseState.NEW, 10)));
    queue.apply(CaseDocuments.fromDocument(doc("b", CaseState.NEW, 20)));
    queue.apply(CaseDocuments.fromDocument(doc("a", CaseState.NEW, 30)));
    assertEquals(List.of("b:new", "a:new"), page(10, null));
    queue.apply(CaseDocuments.fromDocument(doc("b", CaseState.RESOLVED, 0)));
    assertEquals(List.of("a:new"), page(10, null));
    assertEquals(1, queue.size());
  }

  @Test
  void aLateCopyOfANewCaseDoesNotUndoAFresherOne() {
    queue.apply(CaseDocuments.fromDocument(doc("a", CaseState.CLAIMED, 10)));
    queue.created(CaseDocuments.fromDocument(doc("a", CaseState.NEW, 10)));
    assertEquals(List.of("a:claimed"), page(10, null));
  }

  @Test
  void viewsTestTheSameFieldsAsTheirQueries() {
    JsonObject held = doc("h", CaseState.CLAIMED, 5).put("assignee", "ann").put("claimExpiresAt", Dates.bson(NOW.plusSeconds(600)));
    JsonObject lapsed = doc("l", CaseState.CLAIMED, 60).put("assignee", "bob").put("claimExpiresAt", Dates.bson(NOW.minusSeconds(1)));
    queue.apply(CaseDocuments.fromDocument(held));
    queue.apply(CaseDocuments.fromDocument(lapsed));
    queue.apply(CaseDocuments.fromDocument(doc("n", CaseState.NEW, 14)));
    assertEquals(1, queue.count(OpenQueue.view(CaseView.MINE, "ann", NOW)));
    assertEquals(2, queue.count(OpenQueue.view(CaseView.UNASSIGNED, "ann", NOW)), "nobody's and a lapsed claim");
    assertEquals(2, queue.count(OpenQueue.view(CaseView.BREACHING, "ann", NOW)), "due within 15 minutes");
  }
}
