package io.careloop.bench;

import io.careloop.config.Settings;
import io.careloop.queue.Case;
import io.careloop.queue.CaseDocuments;
import io.careloop.queue.CaseFilter;
import io.careloop.queue.CaseIndex;
import io.careloop.queue.CaseState;
import io.careloop.queue.Priority;
import io.careloop.queue.SlaMetric;
import io.careloop.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Case search at 100,000 cases (issue #21): the index's build time and memory, then p50/p99 of a word query, a handle
 * query and a filtered query (state, priority, tag, newest first), each a page of 50 ids; the baseline in the same
 * run is the same filter answered by the embedded MongoDB server (H2 file backend, as CareLoop runs it) over the same
 * cases, and a word looked up there by regular expression (what a search without an index would do). Writes
 * target/bench/case-search.txt. {@code mvn -B -q -Pbench test-compile exec:exec -Dbench.main=io.careloop.bench.CaseSearchBench -Dbench.sizes=100000}
 */
public final class CaseSearchBench {
  static final String[] WORDS = {"refund", "invoice", "password", "login", "sync", "upload", "crash", "slow", "export", "billing",
    "charged", "twice", "folder", "quota", "plan", "token", "backup", "restore", "mobile", "desktop", "update", "broken", "help", "please"};
  static final String[] FIRST = {"Ana", "Ben", "Chloe", "Dev", "Erin", "Farah", "Gus", "Hana", "Ivo", "Jade"};
  static final String[] LAST = {"Martins", "Okafor", "Nguyen", "Schmidt", "Rossi", "Kowalski", "Haddad", "Silva", "Tanaka", "Byrne"};
  static final String[] TAGS = {"billing", "bug", "feature", "outage", "vip"};

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Random random = new Random(21);
    Instant start = Instant.parse("2026-06-01T00:00:00Z");
    List<Case> cases = new ArrayList<>(n);
    for (int i = 0; i < n; i++) cases.add(synthetic(i, random, start));

    System.gc();
    long heapBefore = usedHeap();
    long t0 = System.nanoTime();
    CaseIndex index = new CaseIndex();
    for (int from = 0; from < n; from += 2_000) index.putAll(cases.subList(from, Math.min(n, from + 2_000)));
    index.merge();
    long buildMs = (System.nanoTime() - t0) / 1_000_000;
    System.gc();
    long heapAfter = usedHeap();

    List<Map<String, String>> wordQueries = new ArrayList<>();
    List<Map<String, String>> handleQueries = new ArrayList<>();
    List<Map<String, String>> filterQueries = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      wordQueries.add(Map.of("q", WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)].substring(0, 3)));
      handleQueries.add(Map.of("q", "@" + handle(random.nextInt(n))));
      filterQueries.add(Map.of("state", "resolved", "priority", Priority.values()[random.nextInt(4)].name(), "tag", TAGS[random.nextInt(TAGS.length)]));
    }
    double[] words = time(() -> wordQueries, q -> index.search(CaseFilter.parse(q, "alice"), 50, null).ids().size());
    double[] handles = time(() -> handleQueries, q -> index.search(CaseFilter.parse(q, "alice"), 50, null).ids().size());
    double[] filtered = time(() -> filterQueries, q -> index.search(CaseFilter.parse(q, "alice"), 50, null).ids().size());

    // The baseline: the same cases in the embedded server, the same filter as a query, newest first, 50.
    Vertx vertx = Vertx.vertx();
    Path data = Files.createTempDirectory("careloop-case-search-bench");
    Settings s = Settings.from(new JsonObject(), Map.of("CARELOOP_DATA_DIR", data.toString(), "CARELOOP_X_BEARER_TOKEN", "b"));
    Database db = Database.open(vertx, s).await();
    List<BulkOperation> ops = new ArrayList<>();
    for (Case c : cases) {
      ops.add(BulkOperation.createInsert(CaseDocuments.toDocument(c).put("tags", new JsonArray(c.tags()))));
      if (ops.size() == 2_000) { db.mongo().bulkWrite("cases", ops).await(); ops.clear(); }
    }
    if (!ops.isEmpty()) db.mongo().bulkWrite("cases", ops).await();
    db.durable().await();
    FindOptions newest = new FindOptions().setSort(new JsonObject().put("createdAt", -1)).setLimit(50);
    List<Map<String, String>> few = filterQueries.subList(0, 30);
    double[] mongoFiltered = time(() -> few, q -> db.mongo().findWithOptions("cases", new JsonObject().put("state", q.get("state"))
      .put("priority", q.get("priority")).put("tags", q.get("tag")), newest).await().size());
    List<Map<String, String>> fewWords = wordQueries.subList(0, 30);
    double[] mongoWords = time(() -> fewWords, q -> db.mongo().findWithOptions("cases", new JsonObject().put("text",
      new JsonObject().put("$regex", q.get("q").split(" ")[0]).put("$options", "i")), newest).await().size());
    db.close().await();
    vertx.close().await();

    StringBuilder r = new StringBuilder();
    r.append(String.format("Case search over %,d cases (%s)%n", n, Instant.now()));
    r.append(String.format("index build: %,d ms (batches of 2,000 as the start-up rebuild), %d segment bytes %.1f MB, heap %.1f MB%n",
      buildMs, index.bytes(), index.bytes() / 1048576.0, (heapAfter - heapBefore) / 1048576.0));
    r.append(row("word query (two words, last as prefix)", words));
    r.append(row("handle query (@handle)", handles));
    r.append(row("filtered query (state+priority+tag, newest first)", filtered));
    r.append(row("baseline: same filter, embedded MongoDB (H2), 30 runs", mongoFiltered));
    r.append(row("baseline: one word by $regex, embedded MongoDB (H2), 30 runs", mongoWords));
    r.append(String.format("filtered query p99, index vs MongoDB: %.0fx faster%n", mongoFiltered[1] / filtered[1]));
    BenchResults.publish("case-search.txt", r);
    index.close();
  }

  static String handle(int i) {
    return FIRST[i % FIRST.length].toLowerCase() + "_" + i;
  }

  static Case synthetic(int i, Random random, Instant start) {
    String id = "c" + (1_000_000 + i);
    StringBuilder text = new StringBuilder("@AcmeCloud");
    for (int w = 0; w < 12; w++) text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
    Instant created = start.plusSeconds(i * 60L);
    CaseState state = i % 10 < 7 ? CaseState.RESOLVED : CaseState.values()[random.nextInt(CaseState.values().length)];
    String name = FIRST[i % FIRST.length] + " " + LAST[random.nextInt(LAST.length)];
    var clock = new Case.ServiceClock(SlaMetric.FIRST_RESPONSE, null, null, null, null, false, false, false, false);
    return new Case(id, "AcmeCloud", "mentions-acme", id.substring(1), id.substring(1), new Case.Customer(handle(i), name, "u" + i, 10, false),
      text.toString(), created, Priority.values()[random.nextInt(4)], state, clock, null, null, null, null, null,
      random.nextBoolean() ? "alice" : null, null, false, null, null,
      List.of(new Case.Message(id.substring(1), Case.From.CUSTOMER, handle(i), text.toString(), created, null, null)),
      random.nextInt(5) == 0 ? List.of(new Case.Note("n" + i, "alice", "called back about the " + WORDS[random.nextInt(WORDS.length)], created)) : List.of(),
      random.nextInt(3) == 0 ? List.of(TAGS[random.nextInt(TAGS.length)]) : List.of(), null, null, null, created, created, "o" + id, null, null);
  }

  interface Run { int apply(Map<String, String> q) throws Exception; }

  /** p50 and p99 in milliseconds, after a warm-up pass. */
  static double[] time(Supplier<List<Map<String, String>>> queries, Run run) throws Exception {
    for (Map<String, String> q : queries.get()) run.apply(q);
    List<Map<String, String>> qs = queries.get();
    double[] ms = new double[qs.size()];
    for (int i = 0; i < qs.size(); i++) {
      long t = System.nanoTime();
      run.apply(qs.get(i));
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {ms[ms.length / 2], ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.99) - 1)]};
  }

  static String row(String what, double[] p) {
    return String.format("%-62s p50 %8.3f ms  p99 %8.3f ms%n", what, p[0], p[1]);
  }

  static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
