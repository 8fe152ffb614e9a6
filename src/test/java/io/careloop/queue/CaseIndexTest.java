package io.careloop.queue;

import io.careloop.errors.Invalid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("The case index finds cases by words and filters, newest first, a page at a time")
class CaseIndexTest {
  private final CaseIndex index = new CaseIndex();

  @AfterEach
  void close() {
    index.close();
  }

  static Case aCase(String id, String handle, String name, String text, CaseState state, Priority priority, String assignee,
                    List<String> tags, List<Case.Note> notes, Instant created) {
    return new Case(id, "AcmeCloud", "mentions-acme", id.substring(1), id.substring(1), new Case.Customer(handle, name, "u" + id, 10, false),
      text, created, priority, state, null, null, null, null, null, null, assignee, null, false, null, null,
      List.of(new Case.Message(id.substring(1), Case.From.CUSTOMER, handle, text, created, null, null)), notes, tags,
      null, null, null, created, created, "o" + id, null, null);
  }

  static Case simple(String id, String text, CaseState state, Priority p, Instant created) {
    return aCase(id, "cust_" + id, "Customer " + id, text, state, p, null, List.of(), List.of(), created);
  }

  private List<String> ids(Map<String, String> params) {
    return index.search(CaseFilter.parse(params, "alice"), 50, null).ids();
  }

  @Test
  @DisplayName("a word of the text finds the case, stemmed, whatever its state")
  void words() {
    index.putAll(List.of(simple("c1", "I was charged twice for my refunds", CaseState.RESOLVED, Priority.normal, Instant.parse("2026-11-01T10:00:00Z")),
      simple("c2", "cannot log in", CaseState.NEW, Priority.high, Instant.parse("2026-11-02T10:00:00Z"))));
    assertEquals(List.of("c1"), ids(Map.of("q", "refund")));
    assertEquals(List.of("c1"), ids(Map.of("q", "charging twice")));
    assertEquals(List.of(), ids(Map.of("q", "refund login")));
  }

  @Test
  @DisplayName("the customer is found by handle with or without @, by display name, and the last word as a prefix")
  void customer() {
    index.put(aCase("c1", "ana_m", "Ana Martins", "hello", CaseState.NEW, Priority.normal, null, List.of(), List.of(), Instant.now()));
    assertEquals(List.of("c1"), ids(Map.of("q", "@ana_m")));
    assertEquals(List.of("c1"), ids(Map.of("q", "ana_m")));
    assertEquals(List.of("c1"), ids(Map.of("q", "Martins")));
    assertEquals(List.of("c1"), ids(Map.of("q", "ana mart")));
  }

  @Test
  @DisplayName("notes and tags are searchable, and a tag is also a filter")
  void notesAndTags() {
    index.put(aCase("c1", "x", "X", "hello", CaseState.REPLIED, Priority.normal, "alice", List.of("billing"),
      List.of(new Case.Note("n1", "alice", "escalated to finance", Instant.now())), Instant.now()));
    index.put(simple("c2", "hello", CaseState.NEW, Priority.normal, Instant.now()));
    assertEquals(List.of("c1"), ids(Map.of("q", "finance")));
    assertEquals(List.of("c1"), ids(Map.of("q", "billing")));
    assertEquals(List.of("c1"), ids(Map.of("tag", "Billing")));
  }

  @Test
  @DisplayName("filters combine with each other and with words; newest first without words")
  void filters() {
    Instant t = Instant.parse("2026-11-10T12:00:00Z");
    index.putAll(List.of(
      aCase("c1", "a", "A", "refund please", CaseState.RESOLVED, Priority.high, "alice", List.of(), List.of(), t),
      aCase("c2", "b", "B", "refund please", CaseState.NEW, Priority.high, null, List.of(), List.of(), t.plusSeconds(60)),
      aCase("c3", "c", "C", "refund please", CaseState.DISMISSED, Priority.low, "bob", List.of(), List.of(), t.minusSeconds(86_400 * 3))));
    assertEquals(List.of("c2", "c1", "c3"), ids(Map.of()));
    assertEquals(List.of("c1", "c3"), ids(Map.of("state", "closed")));
    assertEquals(List.of("c1"), ids(Map.of("state", "resolved", "priority", "high", "q", "refund")));
    assertEquals(List.of("c1"), ids(Map.of("assignee", "me")));
    assertEquals(List.of("c2"), ids(Map.of("assignee", "none")));
    assertEquals(List.of("c3"), ids(Map.of("to", "2026-11-07")));
    assertEquals(List.of("c2", "c1"), ids(Map.of("from", "2026-11-10", "to", "2026-11-10")));
  }

  @Test
  @DisplayName("pages follow each other without repeats through the cursor")
  void paging() {
    List<Case> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) many.add(simple("c" + (100 + i), "refund " + i, CaseState.NEW, Priority.normal, Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i)));
    index.putAll(many);
    for (Map<String, String> p : List.of(Map.<String, String>of(), Map.of("q", "refund"))) {
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        CaseIndex.Page page = index.search(CaseFilter.parse(p, "alice"), 10, cursor);
        assertEquals(25, page.total());
        seen.addAll(page.ids());
        cursor = page.next();
      } while (cursor != null);
      assertEquals(25, seen.size(), p + " " + seen);
      assertEquals(25, new java.util.HashSet<>(seen).size());
    }
  }

  @Test
  @DisplayName("a changed case replaces its old self and a deleted one is gone")
  void replace() {
    index.put(simple("c1", "refund", CaseState.NEW, Priority.normal, Instant.now()));
    index.put(simple("c1", "invoice", CaseState.RESOLVED, Priority.normal, Instant.now()));
    assertEquals(List.of(), ids(Map.of("q", "refund")));
    assertEquals(List.of("c1"), ids(Map.of("q", "invoice", "state", "resolved")));
    index.delete("c1");
    assertEquals(0, index.size());
  }

  @Test
  @DisplayName("bad parameters are refused naming the parameter")
  void bad() {
    for (var p : List.of(Map.of("state", "closedish"), Map.of("priority", "meh"), Map.of("from", "yesterday"),
      Map.of("to", "2026-13-01"), Map.of("assignee", "a b"), Map.of("from", "2026-12-02", "to", "2026-12-01"))) {
      Invalid e = assertThrows(Invalid.class, () -> CaseFilter.parse(p, "alice"), p.toString());
      String named = p.containsKey("to") ? "to" : p.keySet().iterator().next();
      assertEquals(named, e.details().get("parameter"), p.toString());
    }
  }

  @Test
  @DisplayName("a filter written as a query string reads back the same")
  void queryString() {
    String qs = CaseFilter.queryString(Map.of("q", "refund twice", "state", "resolved", "tag", ""));
    assertEquals("q=refund%20twice&state=resolved", qs);
    assertEquals(Map.of("q", "refund twice", "state", "resolved"), CaseFilter.fromQueryString(qs));
    assertThrows(Invalid.class, () -> CaseFilter.fromQueryString("view=mine"));
  }
}
