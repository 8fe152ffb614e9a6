package io.careloop.queue;

import io.careloop.config.Settings;
import io.careloop.meaning.SentenceModel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("A follow-up that only thanks is told from one that brings more work, by words and then by meaning")
class TurnClassifierTest {

  record Labelled(String text, boolean thanks, String split) {}

  static List<Labelled> turns() {
    return json("/meaning/follow-ups.json").getJsonArray("turns").stream().map(JsonObject.class::cast)
      .map(t -> new Labelled(t.getString("text"), "thanks".equals(t.getString("turn")), t.getString("split"))).toList();
  }

  static JsonObject json(String resource) {
    try (InputStream in = TurnClassifierTest.class.getResourceAsStream(resource)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The classifier as CareLoop builds it: the shared model, the thresholds of the packaged conf/careloop.json. */
  static TurnClassifier configured() {
    var u = Settings.from(new JsonObject(), Map.of()).queue().understanding();
    return TurnClassifier.create(SentenceModel.shared()::embedAll, new TurnClassifier.Thresholds(u.keepThanks(), u.overrideDoubt()));
  }

  @Test
  @DisplayName("the words alone: thanks with nothing more settles; a question, a doubt, a sour emoji or no thanks at all reopens")
  void rules() {
    assertTrue(TurnClassifier.byRules("@AcmeCloud thanks, that worked! 👍").thanks());
    assertTrue(TurnClassifier.byRules("👍").thanks());
    assertTrue(TurnClassifier.byRules("all good, no need to reply").thanks(), "a closing phrase is not a doubt");
    assertFalse(TurnClassifier.byRules("thanks, but how do I change my address?").thanks());
    assertFalse(TurnClassifier.byRules("cheers. still no refund though").thanks());
    assertFalse(TurnClassifier.byRules("🙄").thanks());
    assertFalse(TurnClassifier.byRules("that link goes to a 404").thanks());
    assertEquals("rules: a question", TurnClassifier.byRules("and?").reason());
  }

  @Test
  @DisplayName("a question mark is never overridden by the meaning, however thankful the rest reads")
  void questionsStayQuestions() {
    TurnClassifier c = configured();
    String text = "thanks so much, all sorted! can I also change the slot?";
    assertFalse(c.byMeaning(text, SentenceModel.shared().embed(text)).thanks());
  }

  @Test
  @DisplayName("calibrated on the calibrate split, checked on holdout: every holdout follow-up with more work reopens, and at least 29 of the 33 thanks settle")
  void holdout() {
    TurnClassifier c = configured();
    for (String split : List.of("calibrate", "holdout")) {
      List<Labelled> set = turns().stream().filter(t -> t.split().equals(split)).toList();
      List<float[]> vectors = SentenceModel.shared().embedAll(set.stream().map(Labelled::text).toList());
      int thanks = 0, settled = 0, work = 0, reopened = 0, rulesSettled = 0, rulesReopened = 0;
      StringBuilder misses = new StringBuilder();
      for (int i = 0; i < set.size(); i++) {
        Labelled t = set.get(i);
        boolean saysThanks = c.byMeaning(t.text(), vectors.get(i)).thanks();
        boolean rulesThanks = TurnClassifier.byRules(t.text()).thanks();
        if (t.thanks()) { thanks++; if (saysThanks) settled++; if (rulesThanks) rulesSettled++; }
        else { work++; if (!saysThanks) reopened++; if (!rulesThanks) rulesReopened++; }
        if (saysThanks != t.thanks()) misses.append("\n  ").append(t.thanks() ? "thanks reopened: " : "work settled: ").append(t.text());
      }
      System.out.printf("turns %s: thanks settled %d/%d (rules alone %d), work reopened %d/%d (rules alone %d)%s%n",
        split, settled, thanks, rulesSettled, reopened, work, rulesReopened, misses);
      assertEquals(work, reopened, split + ": every follow-up with more work reopens" + misses);
      assertTrue(settled >= (split.equals("holdout") ? 29 : thanks), split + ": thanks settled " + settled + "/" + thanks + misses);
    }
  }
}
