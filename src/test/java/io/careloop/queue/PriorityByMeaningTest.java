package io.careloop.queue;

import io.careloop.config.Settings;
import io.careloop.meaning.SentenceModel;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("A complaint or an outage ranks above a how-to question even without the listed words, and says why")
class PriorityByMeaningTest {
  static final PriorityRules RULES = new PriorityRules();

  static PriorityByMeaning configured() {
    var u = Settings.from(new JsonObject(), Map.of()).queue().understanding();
    return PriorityByMeaning.create(SentenceModel.shared()::embedAll, new PriorityByMeaning.Thresholds(u.priorityMargin(), u.priorityFloor()));
  }

  @Test
  @DisplayName("the keywords explain themselves, and the meaning never lowers what they said")
  void explainedAndNeverLowered() {
    assertEquals(new PriorityRules.Ranked(Priority.high, "keywords: 'refund'"), RULES.rank("@FernwayHelp where is my refund", 10));
    assertEquals("a question; large audience", RULES.rank("how do I add a promo code?", 50_000).reason());
    PriorityByMeaning meaning = configured();
    String hacked = "my account was hacked and my groceries turned up with half the stuff absent";
    var byKeywords = RULES.rank(hacked, 10);
    assertSame(byKeywords, meaning.rank(byKeywords, SentenceModel.shared().embed(hacked), 10), "urgent stays urgent, with its reason");
    String absent = "my groceries turned up with half the stuff absent";
    var raised = meaning.rank(RULES.rank(absent, 10), SentenceModel.shared().embed(absent), 10);
    assertEquals(Priority.high, raised.priority());
    assertTrue(raised.reason().startsWith("meaning: reads like a complaint"), raised.reason());
  }

  @Test
  @DisplayName("on the fernway holdout, complaints and outages without listed words rank above how-to questions in at least 70% of pairs (keywords alone: under 10%)")
  void holdout() {
    PriorityByMeaning meaning = configured();
    for (String split : List.of("calibrate", "holdout")) {
      List<JsonObject> set = TurnClassifierTest.json("/meaning/fernway.json").getJsonArray("mentions").stream().map(JsonObject.class::cast)
        .filter(m -> m.getString("split").equals(split)).toList();
      List<float[]> vectors = SentenceModel.shared().embedAll(set.stream().map(m -> m.getString("text")).toList());
      List<Priority> complaints = new ArrayList<>(), complaintsByKeywords = new ArrayList<>(), howTo = new ArrayList<>(), howToByKeywords = new ArrayList<>();
      for (int i = 0; i < set.size(); i++) {
        String text = set.get(i).getString("text");
        String intent = set.get(i).getString("intent");
        var byKeywords = RULES.rank(text, 0);
        Priority p = meaning.rank(byKeywords, vectors.get(i), 0).priority();
        boolean listedWords = byKeywords.reason().startsWith("keywords");
        if ((intent.equals("complaint") || intent.equals("outage")) && !listedWords) { complaints.add(p); complaintsByKeywords.add(byKeywords.priority()); }
        if (intent.equals("how-to")) { howTo.add(p); howToByKeywords.add(byKeywords.priority()); }
      }
      double share = above(complaints, howTo);
      double before = above(complaintsByKeywords, howToByKeywords);
      long raised = complaints.stream().filter(p -> p.ordinal() <= Priority.high.ordinal()).count();
      long howToHigh = howTo.stream().filter(p -> p.ordinal() <= Priority.high.ordinal()).count();
      System.out.printf("priority %s: complaint/outage without listed words above a how-to in %.1f%% of pairs (keywords alone %.1f%%); "
        + "%d/%d ranked high; how-to ranked high %d/%d%n", split, 100 * share, 100 * before, raised, complaints.size(), howToHigh, howTo.size());
      assertTrue(share >= 0.70, split + ": " + share);
      assertTrue(before < 0.10, split + ": keywords alone " + before);
      assertTrue(howToHigh * 8 <= howTo.size(), split + ": at most one how-to in eight ranked high, " + howToHigh + "/" + howTo.size());
    }
  }

  /** The share of (complaint, how-to) pairs in which the complaint ranks strictly higher. */
  static double above(List<Priority> complaints, List<Priority> howTo) {
    long above = 0;
    for (Priority c : complaints) for (Priority h : howTo) if (c.ordinal() < h.ordinal()) above++;
    return (double) above / (complaints.size() * (long) howTo.size());
  }
}
