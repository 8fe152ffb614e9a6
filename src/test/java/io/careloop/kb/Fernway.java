package io.careloop.kb;

import io.careloop.meaning.SentenceModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The labelled grocery-delivery set ({@code meaning/fernway.json}, {@code meaning/near-copies.json}) as the KB tests
 * read it: the articles with their vectors, and each mention with the article that answers it, or null when none does
 * (praise, spam, chatter, or a question the knowledge base has no article for).
 */
final class Fernway {
  record Mention(String id, String text, String answer, String split, float[] vector) {}

  record Draft(String title, String question) {}

  record Pair(Draft a, Draft b, boolean same, String split) {}

  final List<KbIndex.Entry> articles = new ArrayList<>();
  final List<Mention> mentions = new ArrayList<>();
  final List<Pair> pairs = new ArrayList<>();

  static Fernway load() {
    SentenceModel model = SentenceModel.shared();
    Fernway f = new Fernway();
    JsonObject set = json("/meaning/fernway.json");
    for (Object o : set.getJsonArray("articles")) {
      JsonObject a = (JsonObject) o;
      List<String> steps = strings(a.getJsonArray("steps"));
      Article article = new Article(a.getString("id"), a.getString("id"), a.getString("title"), a.getString("question"), steps,
        a.getString("product"), strings(a.getJsonArray("tags")), "published", "cole", Instant.EPOCH, 1);
      f.articles.add(new KbIndex.Entry(article, new ArticleVectors(model.embed(ArticleVectors.wholeText(article.title(), article.question(), steps)),
        model.embed(ArticleVectors.questionText(article.title(), article.question())))));
    }
    Map<String, String> answerOf = new HashMap<>();
    for (Object o : set.getJsonArray("questions")) {
      JsonObject q = (JsonObject) o;
      answerOf.put(q.getString("id"), q.getString("article"));
    }
    List<JsonObject> raw = set.getJsonArray("mentions").stream().map(JsonObject.class::cast).toList();
    List<float[]> vectors = model.embedAll(raw.stream().map(m -> m.getString("text")).toList());
    for (int i = 0; i < raw.size(); i++) {
      JsonObject m = raw.get(i);
      String question = m.getString("question");
      f.mentions.add(new Mention(m.getString("id"), m.getString("text"), question == null ? null : answerOf.get(question), m.getString("split"), vectors.get(i)));
    }
    JsonObject near = json("/meaning/near-copies.json");
    for (String kind : List.of("same", "different")) {
      for (Object o : near.getJsonArray(kind)) {
        JsonObject p = (JsonObject) o;
        f.pairs.add(new Pair(draft(p.getJsonObject("a")), draft(p.getJsonObject("b")), kind.equals("same"), p.getString("split")));
      }
    }
    return f;
  }

  KbIndex index() {
    KbIndex index = new KbIndex();
    index.putAll(articles);
    return index;
  }

  List<Mention> split(String split) {
    return mentions.stream().filter(m -> m.split().equals(split)).toList();
  }

  private static Draft draft(JsonObject d) {
    return new Draft(d.getString("title"), d.getString("question"));
  }

  private static List<String> strings(JsonArray a) {
    return a == null ? List.of() : a.stream().map(String::valueOf).toList();
  }

  private static JsonObject json(String resource) {
    try (InputStream in = Fernway.class.getResourceAsStream(resource)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
