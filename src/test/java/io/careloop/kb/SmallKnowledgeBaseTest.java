package io.careloop.kb;

import io.careloop.config.Settings;
import io.careloop.meaning.SentenceModel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("A knowledge base of two articles suggests what it answers, as one of twenty would")
class SmallKnowledgeBaseTest {
  static final Settings.KbSettings RULES = Settings.from(new JsonObject(), Map.of()).kb();

  static Article article(String id, String title, String question, List<String> steps) {
    return new Article(id, id, title, question, steps, "security", List.of("2fa"), "published", "test", Instant.EPOCH, 1);
  }

  @Test
  void aClearQuestionIsSuggestedAboveTheFloor() {
    SentenceModel model = SentenceModel.shared();
    try (KbIndex index = new KbIndex()) {
      for (Article a : List.of(
        article("a1", "Turn on two-factor authentication", "How do I enable two-factor authentication?", List.of("Open Security > Two-factor authentication.", "Scan the code.")),
        article("a2", "Export invoices as CSV", "How do I export my invoices?", List.of("Open Billing > Invoices.", "Choose Export.")))) {
        index.put(a, new ArticleVectors(model.embed(ArticleVectors.wholeText(a.title(), a.question(), a.steps())), model.embed(ArticleVectors.questionText(a.title(), a.question()))));
      }
      String asked = "how do i turn on two-factor authentication (mfa)??";
      List<Relevance.Scored> top = Relevance.rank(index.candidates(asked, model.embed(asked), KbService.CANDIDATES), RULES, 3);
      assertTrue(!top.isEmpty(), "suggested at all");
      assertEquals("a1", top.get(0).id());
      assertTrue(top.get(0).score() >= RULES.floor());
      String praise = "love the new dark mode, great work";
      assertTrue(Relevance.rank(index.candidates(praise, model.embed(praise), KbService.CANDIDATES), RULES, 3).isEmpty(), "and quiet on praise");
    }
  }
}
