package io.careloop.bench;

import io.careloop.store.EmbeddedServer;
import io.careloop.support.Eventually;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The export and import commands at N cases (100,000 by default): a data folder where CareLoop ingested 200 posts
 * through the real pipeline, its cases and mentions then copied under new ids up to N each; then
 * {@code export --data-dir} and {@code import --mongo-uri} as an operator runs them (a JVM of their own, here with a
 * 256 MB heap cap so a command that held a collection in memory would fail), the import into a fresh embedded
 * instance (mongo-java-server on H2, in this JVM). Writes target/bench/transfer.txt.
 * Run: {@code mvn -B -q -o -Pbench test-compile exec:exec -Dbench.main=io.careloop.bench.TransferBench -Dbench.sizes=100000}
 */
public final class TransferBench {
  static final int TEMPLATES = 200;

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : 100_000;
    Vertx vertx = Vertx.vertx();
    Path data = Files.createTempDirectory("careloop-transfer-data");
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      var t = h.standIn().timeline();
      for (int i = 0; i < 50; i++) t.account(String.valueOf(100 + i), "customer" + i, "Customer " + i, i * 300L);
      for (int i = 0; i < TEMPLATES; i++) {
        t.publish(String.valueOf(100 + i % 50), "@AcmeCloud how do I do thing number " + i + "? it is broken since the update", null, null);
      }
      Eventually.eventually(TEMPLATES + " cases", Duration.ofSeconds(120), () -> h.count("cases", new JsonObject()) >= TEMPLATES);
    }
    long f0 = System.nanoTime();
    try (EmbeddedServer db = EmbeddedServer.open(data)) {
      List<BsonDocument> cases = new ArrayList<>(db.documents("careloop", "cases").values());
      Map<BsonValue, BsonDocument> mentions = new java.util.HashMap<>();
      db.documents("careloop", "mentions").values().forEach(m -> mentions.put(m.get("caseId"), m));
      List<BsonDocument> caseBatch = new ArrayList<>();
      List<BsonDocument> mentionBatch = new ArrayList<>();
      for (int i = cases.size(); i < n; i++) {
        BsonDocument template = cases.get(i % cases.size());
        String id = "cbench" + i;
        caseBatch.add(template.clone().append("_id", new BsonString(id)));
        BsonDocument mention = mentions.get(template.get("_id"));
        if (mention != null) mentionBatch.add(mention.clone().append("_id", new BsonString("mbench" + i)).append("caseId", new BsonString(id)));
        if (caseBatch.size() == 1_000) {
          db.insert("careloop", "cases", caseBatch);
          if (!mentionBatch.isEmpty()) db.insert("careloop", "mentions", mentionBatch);
          caseBatch.clear();
          mentionBatch.clear();
        }
      }
      if (!caseBatch.isEmpty()) db.insert("careloop", "cases", caseBatch);
      if (!mentionBatch.isEmpty()) db.insert("careloop", "mentions", mentionBatch);
    }
    long fillSeconds = (System.nanoTime() - f0) / 1_000_000_000;

    StringBuilder report = new StringBuilder(String.format("TransferBench %s, %d cores, %,d cases (%d ingested, the rest copied in %d s), "
      + "each command in its own JVM with -Xmx256m%n", java.time.LocalDate.now(), Runtime.getRuntime().availableProcessors(), n, TEMPLATES, fillSeconds));
    Path out = Files.createTempDirectory("careloop-transfer-export").resolve("export");
    Command export = command("export", "--data-dir", data.toString(), "--to", out.toString());
    long bytes;
    try (var files = Files.list(out)) {
      bytes = files.mapToLong(f -> f.toFile().length()).sum();
    }
    report.append(String.format("export: %.1f s wall (JVM start included), %,d MB of Extended JSON%n", export.millis / 1000.0, bytes >> 20));
    report.append(export.output.lines().filter(l -> l.contains("cases:") && !l.contains("…") || l.contains("mentions:") && !l.contains("…") || l.startsWith("Exported"))
      .map(l -> "  " + l.trim() + "\n").reduce("", String::concat));
    Path target = Files.createTempDirectory("careloop-transfer-target");
    try (EmbeddedServer into = EmbeddedServer.open(target)) {
      Command imported = command("import", "--from", out.toString(), "--mongo-uri", into.uri());
      report.append(String.format("import into a fresh embedded instance (mongo-java-server, H2): %.1f s wall%n", imported.millis / 1000.0));
      report.append(imported.output.lines().filter(l -> (l.contains("cases:") || l.contains("mentions:") || l.contains("indexes")) && !l.contains("…")
          || l.startsWith("Imported") || l.contains("matches its manifest"))
        .map(l -> "  " + l.trim() + "\n").reduce("", String::concat));
      if (into.count("careloop", "cases") != n) throw new IllegalStateException("import holds " + into.count("careloop", "cases") + " cases");
    }
    BenchResults.publish("transfer.txt", report);
    vertx.close().await();
    System.exit(0);
  }

  record Command(long millis, String output) {}

  /** {@code java -jar careloop.jar ARGS}, as this JVM's classes; fails unless it exits 0. */
  static Command command(String... args) throws Exception {
    List<String> line = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
      "-cp", System.getProperty("java.class.path"), "io.careloop.Main"));
    line.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("CARELOOP_"));
    long t0 = System.nanoTime();
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    int code = p.waitFor();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    System.out.print(output);
    if (code != 0) throw new IllegalStateException(args[0] + " exited " + code + ":\n" + output);
    return new Command(millis, output);
  }
}
