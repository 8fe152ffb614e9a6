package io.careloop.kb;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Suggestion relevance on a labelled set of customer phrasings")
class KbRelevanceTest {
  static KbIndex index;

  @BeforeAll
  static void build() {
    index = new KbIndex();
    KbFixtures.ARTICLES.forEach(index::put);
  }

  @AfterAll
  static void close() { index.close(); }

  @Test
  @DisplayName("top-1 is right for at least 80% and top-3 for at least 95% of the phrasings, slang and typos included")
  void relevance() {
    int top1 = 0;
    int top3 = 0;
    List<String> misses = new ArrayList<>();
    for (Map.Entry<String, String> e : KbFixtures.PHRASINGS.entrySet()) {
      List<String> ids = index.search(e.getKey(), 3, true).stream().map(KbIndex.Hit::id).toList();
      if (!ids.isEmpty() && ids.get(0).equals(e.getValue())) top1++;
      if (ids.contains(e.getValue())) top3++;
      else misses.add(e.getKey() + " -> " + ids + " (want " + e.getValue() + ")");
    }
    int n = KbFixtures.PHRASINGS.size();
    System.out.printf("KB relevance: %d phrasings, top-1 %.1f%%, top-3 %.1f%%%n", n, 100.0 * top1 / n, 100.0 * top3 / n);
    assertTrue(n >= 50);
    assertTrue(top1 >= 0.80 * n, "top-1 " + top1 + "/" + n);
    assertTrue(top3 >= 0.95 * n, "top-3 " + top3 + "/" + n + " misses " + misses);
  }

  @Test
  @DisplayName("drafts are not suggested")
  void draftsHidden() {
    KbIndex own = new KbIndex();
    var a = KbFixtures.ARTICLES.get(0);
    own.put(new Article(a.id(), a.slug(), a.title(), a.question(), a.steps(), a.product(), a.tags(), "draft", "cole", a.updatedAt(), 1));
    assertTrue(own.search("reset password", 3, true).isEmpty());
    assertTrue(!own.search("reset password", 3, false).isEmpty());
    own.close();
  }
}
