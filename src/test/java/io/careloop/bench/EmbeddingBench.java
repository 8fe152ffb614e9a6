package io.careloop.bench;

import io.careloop.meaning.SentenceModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sentence model's speed on customers' words: the Fernway set's 344 mentions, embedded one at a time (what a live
 * post costs) and in batches of 32 (what the back-fill does), against the baseline of tokenising the same texts
 * (what any model must do before it computes). Run it pinned to one core for a per-core figure:
 * {@code taskset -c 0 mvn -B -q -o -Pbench test-compile exec:exec -Dbench.main=io.careloop.bench.EmbeddingBench}.
 */
public final class EmbeddingBench {
  public static void main(String[] args) throws Exception {
    JsonArray mentions = new JsonObject(Files.readString(Path.of("src/test/resources/meaning/fernway.json"))).getJsonArray("mentions");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < mentions.size(); i++) texts.add(mentions.getJsonObject(i).getString("text"));
    long loadStart = System.nanoTime();
    SentenceModel model = SentenceModel.shared();
    model.embed("warm up");
    double loadMs = (System.nanoTime() - loadStart) / 1e6;
    for (int r = 0; r < 2; r++) for (String t : texts) model.embed(t); // warm-up rounds
    int rounds = 5;
    long t0 = System.nanoTime();
    for (int r = 0; r < rounds; r++) for (String t : texts) model.embed(t);
    double singlePerSec = rounds * texts.size() / ((System.nanoTime() - t0) / 1e9);
    long t1 = System.nanoTime();
    for (int r = 0; r < rounds; r++) for (int from = 0; from < texts.size(); from += 32) model.embedAll(texts.subList(from, Math.min(texts.size(), from + 32)));
    double batchPerSec = rounds * texts.size() / ((System.nanoTime() - t1) / 1e9);
    long t2 = System.nanoTime();
    int chars = 0;
    for (int r = 0; r < rounds; r++) for (String t : texts) chars += io.careloop.meaning.MeaningText.of(t).length();
    double cleanPerSec = rounds * texts.size() / ((System.nanoTime() - t2) / 1e9);
    int cores = Runtime.getRuntime().availableProcessors();
    StringBuilder out = new StringBuilder();
    out.append(String.format("model %s, %d mentions x %d rounds, %d cores visible to the JVM%n", SentenceModel.ID, texts.size(), rounds, cores));
    out.append(String.format("load + first embedding: %.0f ms%n", loadMs));
    out.append(String.format("one at a time: %.0f embeddings/s (%.2f ms each)%n", singlePerSec, 1000 / singlePerSec));
    out.append(String.format("batches of 32: %.0f embeddings/s (%.2f ms each), %.2fx one at a time%n", batchPerSec, 1000 / batchPerSec, batchPerSec / singlePerSec));
    out.append(String.format("baseline, cleaning the text only: %.0f texts/s (%d chars)%n", cleanPerSec, chars));
    BenchResults.publish("embedding.txt", out);
    System.exit(0);
  }
}
