package io.careloop.blog;

import io.careloop.kb.Article;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Each {@code src/test/resources/blog/drafts/NAME.json} (a cluster's question, members, reply, article, anonymise flag)
 * drafts exactly {@code NAME.txt}. After a deliberate change to drafting, {@code -Dgolden.update=true} rewrites the
 * .txt files; read their diff before committing it.
 */
@DisplayName("A promoted cluster drafts the post in its golden file")
class DraftGoldenTest {
  private static final Path DIR = Path.of("src/test/resources/blog/drafts");
  private static final String PUBLIC_URL = "https://help.acme.test";

  @TestFactory
  Stream<DynamicTest> everyFixtureDraftsItsGoldenFile() throws IOException {
    List<Path> inputs;
    try (Stream<Path> files = Files.list(DIR)) {
      inputs = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertFalse(inputs.isEmpty(), "no fixtures in " + DIR.toAbsolutePath());
    return inputs.stream().map(input -> {
      JsonObject fixture = new JsonObject(read(input));
      String name = input.getFileName().toString().replaceFirst("\\.json$", "");
      return DynamicTest.dynamicTest(name + ": " + fixture.getString("description"), () -> {
        Draft draft = Draft.of(source(fixture));
        String actual = rendered(draft);
        Path golden = DIR.resolve(name + ".txt");
        if (Boolean.getBoolean("golden.update")) Files.writeString(golden, actual, StandardCharsets.UTF_8);
        assertTrue(Files.exists(golden), "no golden file " + golden + "; run with -Dgolden.update=true and read it. Drafted:\n" + actual);
        String expected = Files.readString(golden, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) fail("the draft of " + name + " differs from " + golden + "\n" + diff(expected, actual));
        invariants(fixture, draft);
      });
    });
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What every draft must be, whatever its golden file says. */
  private static void invariants(JsonObject fixture, Draft d) {
    for (String bad : List.of("@", "http", "<", ">", "{{", "#")) assertFalse(d.title().contains(bad), "the title has no " + bad + ": " + d.title());
    assertTrue(d.title().length() <= QuestionTitle.MAX_LENGTH, d.title());
    assertTrue(Character.isUpperCase(d.title().codePointAt(0)), d.title());
    assertFalse(d.body().matches("(?s).*\\b(Hi|Hey|Hello)\\s*[,!].*"), "no bare greeting: " + d.body());
    assertFalse(d.body().contains(" ,"), d.body());
    assertFalse(d.body().contains("49"), "template syntax in the input is never evaluated");
    assertTrue(d.quotes().size() <= DraftQuotes.MAX);
    Set<String> by = new HashSet<>();
    Set<String> said = new HashSet<>();
    for (Draft.Quote q : d.quotes()) {
      if (q.handle() != null) assertTrue(by.add(q.handle().toLowerCase()), "one quote per customer: " + q.handle());
      assertTrue(said.add(ReplyText.normalised(q.text())), "never the same words twice: " + q.text());
      assertFalse(q.text().startsWith("@"), "no reply handles: " + q.text());
    }
    Set<String> protectedHandles = new HashSet<>();
    for (Object o : fixture.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      if (m.getBoolean("protected", false)) protectedHandles.add(m.getString("handle"));
    }
    for (Draft.Quote q : d.quotes()) assertFalse(protectedHandles.contains(q.handle()), "protected accounts are never quoted");
    if (fixture.getBoolean("anonymise", false)) {
      for (Draft.Quote q : d.quotes()) assertNull(q.handle());
      for (Object o : fixture.getJsonArray("members")) {
        JsonObject m = (JsonObject) o;
        String all = d.title() + "\n" + d.body() + "\n" + d.quotes();
        assertFalse(all.toLowerCase().contains(m.getString("handle").toLowerCase()), "anonymised: no " + m.getString("handle"));
      }
    }
  }

  static Draft.Source source(JsonObject f) {
    List<Draft.Member> members = new ArrayList<>();
    for (Object o : f.getJsonArray("members", new JsonArray())) {
      JsonObject m = (JsonObject) o;
      JsonArray v = m.getJsonArray("vector");
      float[] vector = null;
      if (v != null) {
        vector = new float[v.size()];
        for (int i = 0; i < v.size(); i++) vector[i] = v.getNumber(i).floatValue();
      }
      members.add(new Draft.Member(m.getString("tweetId"), m.getString("handle"), m.getString("name"), m.getString("text"),
        m.getBoolean("protected", false), vector));
    }
    JsonObject a = f.getJsonObject("article");
    Article article = a == null ? null : new Article(a.getString("id", "a1"), a.getString("slug"), a.getString("title"), a.getString("question"),
      a.getJsonArray("steps", new JsonArray()).stream().map(String::valueOf).toList(), "product", List.of(), a.getString("status", "published"),
      "owner", null, 1);
    return new Draft.Source(f.getString("question"), members, f.getString("reply"), article, f.getBoolean("anonymise", false), PUBLIC_URL);
  }

  /** The golden file's form: title, question, body and quotes, each under its heading. */
  static String rendered(Draft d) {
    StringBuilder sb = new StringBuilder();
    sb.append("== title\n").append(d.title()).append("\n");
    sb.append("== question\n").append(d.question()).append("\n");
    sb.append("== body\n").append(d.body()).append("\n");
    sb.append("== quotes\n");
    if (d.quotes().isEmpty()) sb.append("(none)\n");
    for (Draft.Quote q : d.quotes()) {
      sb.append(q.by()).append(q.tweetId() == null ? "" : " (tweet " + q.tweetId() + ")").append(": ").append(q.text()).append("\n");
    }
    return sb.toString();
  }

  /** The lines that differ, marked like a unified diff, with a line of context on each side. */
  static String diff(String expected, String actual) {
    List<String> e = expected.lines().toList();
    List<String> a = actual.lines().toList();
    StringBuilder sb = new StringBuilder("--- expected (golden file)\n+++ actual (drafted)\n");
    int n = Math.max(e.size(), a.size());
    for (int i = 0; i < n; i++) {
      String x = i < e.size() ? e.get(i) : null;
      String y = i < a.size() ? a.get(i) : null;
      if (x != null && x.equals(y)) {
        boolean near = (i > 0 && !same(e, a, i - 1)) || (i + 1 < n && !same(e, a, i + 1));
        if (near) sb.append("  ").append(x).append("\n");
        continue;
      }
      sb.append("@@ line ").append(i + 1).append(" @@\n");
      if (x != null) sb.append("- ").append(x).append("\n");
      if (y != null) sb.append("+ ").append(y).append("\n");
    }
    return sb.toString();
  }

  private static boolean same(List<String> e, List<String> a, int i) {
    return i < e.size() && i < a.size() && e.get(i).equals(a.get(i));
  }
}
