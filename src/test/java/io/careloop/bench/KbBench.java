package io.careloop.bench;

import io.careloop.config.Settings;
import io.careloop.kb.Article;
import io.careloop.kb.KbIndex;
import io.careloop.kb.Relevance;
import io.careloop.meaning.SentenceModel;
import io.careloop.meaning.Vectors;
import io.careloop.kb.ArticleVectors;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Suggestion latency: an index of 10,000 synthetic articles, 1,000 mention texts (slang, typos, handles), p50/p99 of
 * the full suggestion query against a bare Lucene TermQuery on the same index in the same run, and against the
 * mention's own words as bare TermQuerys on one field. Then the hybrid suggestion (BM25 fused with kNN over the article
 * vectors, scored and floored as the service does) with the mention's vector already stored, and with the mention
 * embedded in the loop, against BM25 alone in the same run.
 *
 * <p>The 10,000 article vectors are random unit vectors (embedding 10,000 texts would take 15-20 s of a shared
 * machine, and HNSW's cost does not depend on what the vectors mean); the mentions' vectors are real.
 */
public final class KbBench {
  static final String[] PRODUCTS = {"storage", "backups", "billing", "workspace", "security", "api", "sync", "mobile", "desktop", "sharing"};
  static final String[] TOPICS = {"password", "invoice", "export", "restore", "region", "teammate", "token", "two-factor", "upload",
    "download", "folder", "quota", "plan", "refund", "sso", "audit", "link", "version", "trash", "limit"};
  static final String[] ACTIONS = {"reset", "change", "find", "enable", "disable", "recover", "move", "share", "delete", "increase"};
  static final String[] PHRASES = {"@AcmeCloud how do i %s my %s??", "cant %s %s on %s, help", "%s %s not working in %s lol",
    "pls tell me how to %s the %s", "@AcmeCloud where do i %s %s", "need to %s %s asap"};

  public static void main(String[] args) {
    Random random = new Random(42);
    KbIndex index = new KbIndex();
    // Built as a start-up builds it (one batch from the database), then 50 articles edited one by one as the team works.
    List<Article> articles = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String product = PRODUCTS[i % PRODUCTS.length];
      String topic = TOPICS[random.nextInt(TOPICS.length)];
      String action = ACTIONS[random.nextInt(ACTIONS.length)];
      articles.add(new Article("a" + i, "a" + i, capital(action) + " your " + topic + " in " + product + " " + i,
        "How do I " + action + " my " + topic + " in " + product + "?",
        List.of("Open " + product + " settings.", "Choose " + topic + " and " + action + ".", "Confirm with your password."),
        product, List.of(topic, product), "published", "bench", Instant.EPOCH, 1));
    }
    index.putAll(articles.stream().map(a -> new KbIndex.Entry(a, new ArticleVectors(randomUnit(random), randomUnit(random)))).toList());
    for (int i = 0; i < 50; i++) index.put(articles.get(random.nextInt(articles.size())));
    int segments = index.segments();
    List<String> mentions = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String phrase = PHRASES[random.nextInt(PHRASES.length)];
      String text = String.format(phrase, ACTIONS[random.nextInt(ACTIONS.length)], TOPICS[random.nextInt(TOPICS.length)], PRODUCTS[random.nextInt(PRODUCTS.length)]);
      mentions.add(random.nextInt(4) == 0 ? typo(text, random) : text);
    }
    for (int warm = 0; warm < 3; warm++) for (String m : mentions) index.search(m, 3, true);
    long[] full = new long[mentions.size()];
    long[] bare = new long[mentions.size()];
    long[] words = new long[mentions.size()];
    for (int i = 0; i < mentions.size(); i++) {
      String m = mentions.get(i);
      long t0 = System.nanoTime();
      index.search(m, 3, true);
      full[i] = System.nanoTime() - t0;
      String term = TOPICS[i % TOPICS.length].replace("-", "");
      long t1 = System.nanoTime();
      index.termQueryCount("title", term);
      bare[i] = System.nanoTime() - t1;
      long t2 = System.nanoTime();
      index.bareWordsCount("question", m);
      words[i] = System.nanoTime() - t2;
    }
    Arrays.sort(full);
    Arrays.sort(bare);
    Arrays.sort(words);
    System.out.printf("kb-suggest articles=10000 segments=%d mentions=1000 p50=%.3f ms p99=%.3f ms | bare TermQuery p50=%.3f ms p99=%.3f ms | ratio p50=%.1fx p99=%.1fx%n",
      segments, ms(full, 0.50), ms(full, 0.99), ms(bare, 0.50), ms(bare, 0.99), ms(full, 0.50) / ms(bare, 0.50), ms(full, 0.99) / ms(bare, 0.99));
    System.out.printf("kb-suggest vs the mention's words as bare TermQuerys on one field: p50=%.3f ms p99=%.3f ms | ratio p50=%.1fx p99=%.1fx%n",
      ms(words, 0.50), ms(words, 0.99), ms(full, 0.50) / ms(words, 0.50), ms(full, 0.99) / ms(words, 0.99));
    SentenceModel model = SentenceModel.shared();
    List<float[]> vectors = model.embedAll(mentions);
    Settings.KbSettings rules = Settings.from(new JsonObject(), Map.of()).kb();
    for (int warm = 0; warm < 3; warm++) for (int i = 0; i < mentions.size(); i++) Relevance.rank(index.candidates(mentions.get(i), vectors.get(i), 20), rules, 3);
    long[] stored = new long[mentions.size()];
    long[] embedded = new long[mentions.size()];
    long[] bm25 = new long[mentions.size()];
    for (int i = 0; i < mentions.size(); i++) {
      String m = mentions.get(i);
      long t0 = System.nanoTime();
      Relevance.rank(index.candidates(m, vectors.get(i), 20), rules, 3);
      stored[i] = System.nanoTime() - t0;
      long t1 = System.nanoTime();
      Relevance.rank(index.candidates(m, model.embed(m), 20), rules, 3);
      embedded[i] = System.nanoTime() - t1;
      long t2 = System.nanoTime();
      index.search(m, 3, true);
      bm25[i] = System.nanoTime() - t2;
    }
    Arrays.sort(stored);
    Arrays.sort(embedded);
    Arrays.sort(bm25);
    System.out.printf("kb-suggest hybrid articles=10000 mentions=1000 vector stored p50=%.3f ms p99=%.3f ms | embedded in the loop p50=%.3f ms p99=%.3f ms"
        + " | BM25 only p50=%.3f ms p99=%.3f ms%n", ms(stored, 0.50), ms(stored, 0.99), ms(embedded, 0.50), ms(embedded, 0.99), ms(bm25, 0.50), ms(bm25, 0.99));
    index.close();
  }

  static float[] randomUnit(Random random) {
    float[] v = new float[SentenceModel.DIMENSION];
    for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
    return Vectors.normalised(v);
  }

  static double ms(long[] sorted, double q) { return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6; }

  static String capital(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }

  static String typo(String text, Random random) {
    int at = 12 + random.nextInt(Math.max(1, text.length() - 12));
    return text.substring(0, at - 1) + text.substring(at);
  }
}
