package io.careloop.cycle;

import io.careloop.config.Settings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where the meaning thresholds in conf/careloop.json come from: a sweep on the {@code calibrate} split of the Fernway
 * set (never the holdout), scored by the mean adjusted Rand index over the written order and three seeded shuffles.
 * First the bar with no article linked (text alone); then, at that bar, the same-article and other-article bars, on
 * the set fully linked and half linked (agents link an article to about half their answers). Ties (within 0.001) go to the
 * first value swept: the lowest bar for text alone and for the same article, the highest for a different article (on a
 * plateau, an agent's choice of another article counts as evidence of another question). Prints the sweep, and fails
 * if the packaged values are not the ones it picks.
 */
@DisplayName("The meaning thresholds in conf are the ones calibration picks on the calibrate split")
class MeaningCalibrationTest {
  static final List<Fernway.Labelled> CALIBRATE = Fernway.split("calibrate");
  static final ClusterIndex.Bar WORDS = ClusteringQualityTest.CONF.words();
  /** A better mean ARI by less than this is a pair or two of 144 mentions: a tie. */
  static final double NOISE = 0.001;

  static double meanAri(ClusterIndex.Bar meaning, Function<Fernway.Labelled, ClusterIndex.Mention> mention) {
    ClusterIndex.Thresholds t = new ClusterIndex.Thresholds(meaning, WORDS);
    return Fernway.orders(CALIBRATE, 3).stream().mapToDouble(o -> Fernway.cluster(t, o, mention).adjustedRand()).average().orElseThrow();
  }

  static ClusterIndex.Mention halfLinked(Fernway.Labelled l) {
    return new ClusterIndex.Mention(l.id(), QuestionText.tokens(l.text()), Math.floorMod(l.id().hashCode(), 2) == 0 ? l.article() : null, l.vector());
  }

  static double round(double v) { return Math.round(v * 100) / 100.0; }

  @Test
  @DisplayName("Sweeping the bars on the calibrate split picks the packaged values")
  void packagedValuesAreTheCalibratedOnes() {
    double bestNone = 0, bestAri = -1;
    StringBuilder sweep = new StringBuilder("text alone (no article), mean ARI on calibrate:");
    for (double t = 0.30; t <= 0.701; t += 0.05) {
      double ari = meanAri(new ClusterIndex.Bar(round(t), 1, 1), Fernway::textOnly);
      sweep.append(String.format(" %.2f→%.3f", t, ari));
      if (ari > bestAri + NOISE) { bestAri = ari; bestNone = round(t); }
    }
    System.out.println(sweep);
    System.out.printf("picked meaning %.2f (mean ARI %.3f)%n", bestNone, bestAri);

    double bestSame = 0, bestOther = 0, bestLinked = -1;
    for (double same : new double[] {0.05, 0.1, 0.2, 0.3, 0.4}) {
      StringBuilder row = new StringBuilder(String.format("same %.2f:", same));
      for (double other : new double[] {0.9, 0.8, 0.7, 0.6}) {
        ClusterIndex.Bar bar = new ClusterIndex.Bar(bestNone, round(same), round(other));
        double ari = (meanAri(bar, Fernway::linked) + meanAri(bar, MeaningCalibrationTest::halfLinked)) / 2;
        row.append(String.format(" other %.2f→%.3f", other, ari));
        if (ari > bestLinked + NOISE) { bestLinked = ari; bestSame = round(same); bestOther = round(other); }
      }
      System.out.println(row);
    }
    System.out.printf("picked sameArticleMeaning %.2f, otherArticleMeaning %.2f (mean ARI linked and half linked %.3f)%n", bestSame, bestOther,
      bestLinked);

    Settings.CycleSettings conf = Settings.from(new JsonObject(), Map.of()).cycle();
    assertEquals(bestNone, conf.meaningSimilarity(), 1e-9, "cycle.similarity.meaning");
    assertEquals(bestSame, conf.sameArticleMeaning(), 1e-9, "cycle.similarity.sameArticleMeaning");
    assertEquals(bestOther, conf.otherArticleMeaning(), 1e-9, "cycle.similarity.otherArticleMeaning");
  }
}
