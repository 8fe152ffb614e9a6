package io.careloop.cycle;

import io.careloop.meaning.SentenceModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The labelled Fernway set (src/test/resources/meaning/fernway.json), embedded once per JVM: mentions with their true
 * question (null for a remark that asks nothing: each is its own label), its KB article, and the split it belongs
 * to. Thresholds are calibrated on {@code calibrate}; quality is asserted on {@code holdout} only.
 */
final class Fernway {
  record Labelled(String id, String text, String question, String article, String split, float[] vector) {
    /** Its true cluster: the question, or itself for a remark that asks none. */
    String label() { return question == null ? "alone-" + id : question; }
  }

  private static final class Holder {
    static final List<Labelled> ALL = load();
  }

  private Fernway() {}

  static List<Labelled> split(String split) {
    return Holder.ALL.stream().filter(l -> l.split().equals(split)).toList();
  }

  private static List<Labelled> load() {
    JsonObject set;
    try (InputStream in = Fernway.class.getResourceAsStream("/meaning/fernway.json")) {
      set = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> articleOf = new HashMap<>();
    set.getJsonArray("questions").forEach(o -> articleOf.put(((JsonObject) o).getString("id"), ((JsonObject) o).getString("article")));
    JsonArray mentions = set.getJsonArray("mentions");
    List<String> texts = new ArrayList<>();
    mentions.forEach(o -> texts.add(((JsonObject) o).getString("text")));
    List<float[]> vectors = SentenceModel.shared().embedAll(texts);
    List<Labelled> out = new ArrayList<>();
    for (int i = 0; i < mentions.size(); i++) {
      JsonObject m = mentions.getJsonObject(i);
      String q = m.getString("question");
      out.add(new Labelled(m.getString("id"), m.getString("text"), q, q == null ? null : articleOf.get(q), m.getString("split"), vectors.get(i)));
    }
    return List.copyOf(out);
  }

  /** The order written, then {@code shuffles} seeded random orders. */
  static List<List<Labelled>> orders(List<Labelled> items, int shuffles) {
    List<List<Labelled>> out = new ArrayList<>();
    out.add(items);
    for (int seed = 1; seed <= shuffles; seed++) {
      List<Labelled> shuffled = new ArrayList<>(items);
      Collections.shuffle(shuffled, new Random(seed));
      out.add(shuffled);
    }
    return out;
  }

  /** Clusters the items in this order, each as {@code mention} makes it, and compares with the labels. */
  static ClusterQuality cluster(ClusterIndex.Thresholds thresholds, List<Labelled> items, Function<Labelled, ClusterIndex.Mention> mention) {
    ClusterIndex index = new ClusterIndex(thresholds);
    List<String> assigned = new ArrayList<>();
    for (Labelled l : items) assigned.add(index.assign(mention.apply(l)).clusterId());
    // Merges are resolved when reading, as the service does.
    return ClusterQuality.of(items.stream().map(Labelled::label).toList(), assigned.stream().map(index::resolve).toList());
  }

  /** By meaning, no KB article linked. */
  static ClusterIndex.Mention textOnly(Labelled l) {
    return new ClusterIndex.Mention(l.id(), QuestionText.tokens(l.text()), null, l.vector());
  }

  /** By meaning, every answered mention linked with its question's article. */
  static ClusterIndex.Mention linked(Labelled l) {
    return new ClusterIndex.Mention(l.id(), QuestionText.tokens(l.text()), l.article(), l.vector());
  }

  /** By words alone, as before vectors (no article). */
  static ClusterIndex.Mention wordsOnly(Labelled l) {
    return new ClusterIndex.Mention(l.id(), QuestionText.tokens(l.text()), null);
  }
}
