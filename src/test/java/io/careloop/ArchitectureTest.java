package io.careloop;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each feature owns its collections: only the feature (the top package under {@code io.careloop}) that declares a
 * collection's name may name it, in a call to the database or anywhere else. Another feature asks the owner through
 * a method or learns from its events. Reading another feature's collection by name is an import the compiler cannot
 * see; this scan of the sources is the import check for it. README "Code layout" lists the same owners.
 */
@DisplayName("Features own their data; the domain is plain Java")
class ArchitectureTest {
  static final Path MAIN = Path.of("src/main/java/io/careloop");

  /** Who owns which collection: the feature package that declares its name. README "Code layout" says the same. */
  static final Map<String, String> OWNERS = Map.ofEntries(
    Map.entry("accounts", "users"),
    Map.entry("analytics", "analytics_days analytics_facts analytics_state"),
    Map.entry("audit", "audit"),
    Map.entry("blog", "blog_posts blog_stats"),
    Map.entry("brands", "brands"),
    Map.entry("cycle", "cluster_answers cluster_members clusters"),
    Map.entry("kb", "kb_articles kb_revisions"),
    Map.entry("links", "kb_clicks kb_links"),
    Map.entry("listening", "read_budget sources"),
    Map.entry("meaning", "meaning_progress mention_vectors"),
    Map.entry("queue", "author_avatars auto_assign bulk_undos case_threads cases mentions saved_views sla sla_events"),
    Map.entry("reply", "canned replies"),
    Map.entry("scaleout", "leases nodes"),
    Map.entry("store", "migrations"));

  /** The client's operations that take a collection name first. */
  static final String OPERATIONS = String.join("|", "find", "findOne", "findWithOptions", "findBatch", "findBatchWithOptions",
    "insert", "insertWithOptions", "save", "saveWithOptions", "updateCollection", "updateCollectionWithOptions",
    "replaceDocuments", "replaceDocumentsWithOptions", "count", "countWithQuery", "bulkWrite", "bulkWriteWithOptions",
    "createIndex", "createIndexWithOptions", "createIndexes", "dropIndex", "listIndexes", "distinct", "distinctWithQuery",
    "distinctBatch", "distinctBatchWithQuery", "aggregate", "aggregateWithOptions", "removeDocument", "removeDocuments",
    "removeDocumentWithOptions", "removeDocumentsWithOptions", "findOneAndUpdate", "findOneAndUpdateWithOptions",
    "findOneAndReplace", "findOneAndReplaceWithOptions", "findOneAndDelete", "findOneAndDeleteWithOptions",
    "dropCollection", "createCollection", "createCollectionWithOptions", "renameCollection", "watch");

  /** A call that names a collection: the driver's ({@code mongo.find(X, ...)}) or the store's helpers' ({@code Paged.forEach(mongo, X, ...)}). */
  static final Pattern CALL = Pattern.compile(
    "\\bmongo(?:\\(\\))?\\.(?:" + OPERATIONS + ")\\(\\s*([A-Za-z_][\\w.]*|\"[^\"]*\")\\s*[,)]"
      + "|\\b(?:Paged|Bulk)\\.\\w+\\(\\s*mongo\\s*,\\s*([A-Za-z_][\\w.]*|\"[^\"]*\")");
  static final Pattern CONSTANT = Pattern.compile("static final String (\\w+)\\s*=\\s*\"([^\"]+)\"\\s*;");

  record Source(Path file, String feature, String className, String text) {}
  record Constant(String feature, String className, String name, String value) {
    String qualified() { return className + "." + name; }
  }

  static List<Source> sources() throws IOException {
    assertTrue(Files.isDirectory(MAIN), "run from the project folder: " + MAIN.toAbsolutePath());
    List<Source> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        Path rel = MAIN.relativize(f);
        String feature = rel.getNameCount() == 1 ? "" : rel.getName(0).toString();
        String name = f.getFileName().toString().replace(".java", "");
        all.add(new Source(rel, feature, name, Files.readString(f)));
      }
    }
    assertTrue(all.size() > 100, "the scan sees the sources");
    return all;
  }

  /** The collections the code names, as the constants it names them with. */
  static List<Constant> collectionConstants(List<Source> all, List<String> problems) {
    Map<String, Source> byClass = new HashMap<>();
    all.forEach(s -> byClass.put(s.className(), s));
    Map<String, Constant> found = new TreeMap<>();
    for (Source s : all) {
      Matcher call = CALL.matcher(s.text());
      while (call.find()) {
        String arg = call.group(1) != null ? call.group(1) : call.group(2);
        if (arg.startsWith("\"")) {
          problems.add(s.file() + " names collection " + arg + " as text; declare it as a constant of its feature");
          continue;
        }
        // A lower-case name is a parameter or field of a generic helper (the caller's constant is checked there).
        String simple = arg.contains(".") ? arg.substring(arg.lastIndexOf('.') + 1) : arg;
        if (!simple.equals(simple.toUpperCase())) continue;
        Source declaring = arg.contains(".") ? byClass.get(arg.substring(0, arg.lastIndexOf('.'))) : s;
        Constant c = declaring == null ? null : constant(declaring, simple, byClass);
        if (c == null) {
          problems.add(s.file() + " names collection " + arg + ", which the scan cannot resolve to a constant");
          continue;
        }
        found.put(c.qualified(), c);
      }
    }
    return new ArrayList<>(found.values());
  }

  /** {@code NAME} in {@code declaring}: a literal, or another class's constant it repeats. */
  static Constant constant(Source declaring, String name, Map<String, Source> byClass) {
    Matcher m = CONSTANT.matcher(declaring.text());
    while (m.find()) if (m.group(1).equals(name)) return new Constant(declaring.feature(), declaring.className(), name, m.group(2));
    Matcher alias = Pattern.compile("static final String " + name + "\\s*=\\s*(\\w+)\\.(\\w+)\\s*;").matcher(declaring.text());
    if (alias.find() && byClass.containsKey(alias.group(1))) {
      Constant original = constant(byClass.get(alias.group(1)), alias.group(2), byClass);
      return original == null ? null : new Constant(declaring.feature(), declaring.className(), name, original.value());
    }
    return null;
  }

  /** Everything wrong with who names which collection; empty when each feature keeps to its own. */
  static List<String> problems(List<Source> all, Map<String, String> documented) {
    List<String> problems = new ArrayList<>();
    List<Constant> constants = collectionConstants(all, problems);
    Map<String, Set<String>> declaredBy = new TreeMap<>();
    for (Constant c : constants) declaredBy.computeIfAbsent(c.value(), v -> new TreeSet<>()).add(c.feature());
    declaredBy.forEach((collection, features) -> {
      if (features.size() > 1) problems.add("collection " + collection + " is named by constants of several features: " + features);
      else if (!features.equals(Set.of(documented.getOrDefault(collection, "?")))) {
        problems.add("collection " + collection + " is declared in " + features + " but documented as " + documented.getOrDefault(collection, "nobody's"));
      }
    });
    documented.keySet().stream().filter(c -> !declaredBy.containsKey(c)).forEach(c -> problems.add("documented collection " + c + " is not in the code"));
    for (Constant c : constants) {
      Pattern use = Pattern.compile("\\b" + Pattern.quote(c.qualified()) + "\\b");
      for (Source s : all) {
        if (s.feature().equals(c.feature())) continue;
        if (use.matcher(s.text()).find()) problems.add(s.file() + " names " + c.qualified() + " (collection " + c.value() + " of " + c.feature() + ")");
      }
    }
    return problems;
  }

  static Map<String, String> documented() {
    Map<String, String> documented = new TreeMap<>();
    OWNERS.forEach((feature, names) -> { for (String n : names.split(" ")) documented.put(n, feature); });
    return documented;
  }

  @Test
  @DisplayName("No feature names another feature's collection, and each collection has one owner, as documented")
  void featuresOwnTheirCollections() throws IOException {
    List<Source> all = sources();
    assertTrue(collectionConstants(all, new ArrayList<>()).size() >= 20, "the scan finds the collections");
    assertEquals(List.of(), problems(all, documented()));
  }

  @Test
  @DisplayName("The scan catches a feature reading another's collection, by constant or as text")
  void scanCatchesAReadByName() {
    String intruder = "class Peek { void f() { mongo.find(MongoCaseRepository.CASES, new JsonObject()); mongo.find(\"replies\", q); } }";
    String owner = "public final class MongoCaseRepository { public static final String CASES = \"cases\"; void g() { mongo.findOne(CASES, q, null); } }";
    List<Source> all = List.of(new Source(Path.of("queue/MongoCaseRepository.java"), "queue", "MongoCaseRepository", owner),
      new Source(Path.of("kb/Peek.java"), "kb", "Peek", intruder));
    assertEquals(List.of("kb/Peek.java names collection \"replies\" as text; declare it as a constant of its feature",
        "kb/Peek.java names MongoCaseRepository.CASES (collection cases of queue)"),
      problems(all, Map.of("cases", "queue")));
    assertEquals(List.of("collection cases is declared in [queue] but documented as kb"),
      problems(List.of(all.get(0)), Map.of("cases", "kb")));
  }

  /**
   * Records and enums that are the database's or HTTP's edge, not the domain: they build queries or carry documents
   * ({@code CaseView} queries, the outbox's slot and delivery, posting claims' stamps), or parse settings.
   */
  static final Set<String> EDGE_TYPES = Set.of("queue/CaseView.java", "outbox/Slot.java", "outbox/Delivery.java",
    "scaleout/PostingClaims.java", "config/Settings.java", "config/Variable.java");

  /** The domain's plain-Java rules and arithmetic: no clock but the one passed in, no Vert.x. */
  static final List<String> PLAIN = List.of("queue/SlaRules.java", "queue/BusinessHours.java", "queue/QueueOrder.java",
    "queue/PriorityRules.java", "queue/SpamRules.java", "queue/SlaPolicy.java", "queue/SlaBook.java", "reply/ReplyLength.java",
    "reply/ClosedTemplate.java", "cycle/CycleMath.java", "cycle/QuestionText.java", "cycle/MinHash.java", "cycle/ClusterIndex.java",
    "analytics/ResponseTimes.java", "analytics/ResponseFact.java", "analytics/Rollup.java", "analytics/ResponseReport.java",
    "blog/Anonymiser.java", "blog/ProactiveTweet.java", "kb/Slugs.java");

  /** The domain model named in the issue that typed it (#18): these must exist, as records or enums of their feature. */
  static final List<String> MODEL = List.of("queue/Case.java", "queue/Mention.java", "queue/CaseState.java", "queue/SlaEvent.java",
    "reply/Reply.java", "outbox/PostState.java", "cycle/Cluster.java", "blog/BlogPost.java", "kb/Article.java");

  /** Everything wrong with the domain types: Vert.x or the web layer named in a record, an enum or a plain rule. */
  static List<String> impureDomain(List<Source> all) {
    List<String> problems = new ArrayList<>();
    Set<String> files = new TreeSet<>();
    all.forEach(s -> files.add(s.file().toString()));
    for (String m : MODEL) if (!files.contains(m)) problems.add("the domain type " + m + " is missing");
    for (String p : PLAIN) if (!files.contains(p)) problems.add("the plain rule " + p + " is missing");
    for (Source s : all) {
      String f = s.file().toString();
      if (s.feature().isEmpty() || s.feature().equals("web") || f.startsWith("x/standin/") || EDGE_TYPES.contains(f)) continue;
      boolean domainType = Pattern.compile("^public (record|enum) ", Pattern.MULTILINE).matcher(s.text()).find();
      if (!domainType && !PLAIN.contains(f)) continue;
      for (String banned : List.of("io.vertx", "io.careloop.web")) {
        if (s.text().contains(banned)) problems.add(f + " is domain model but names " + banned);
      }
    }
    return problems;
  }

  @Test
  @DisplayName("Records, enums and rules of the domain are plain Java: no Vert.x, no web layer")
  void domainIsPlainJava() throws IOException {
    assertEquals(List.of(), impureDomain(sources()));
  }

  @Test
  @DisplayName("The domain scan catches a record that carries a JsonObject")
  void domainScanCatchesVertx() {
    Source leaky = new Source(Path.of("queue/Case.java"), "queue", "Case", "import io.vertx.core.json.JsonObject;\npublic record Case(JsonObject doc) {}");
    assertTrue(impureDomain(List.of(leaky)).contains("queue/Case.java is domain model but names io.vertx"));
  }
}
