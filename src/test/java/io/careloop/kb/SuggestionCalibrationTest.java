package io.careloop.kb;

import io.careloop.config.Settings;
import io.careloop.config.Settings.KbSettings;
import io.careloop.meaning.SentenceModel;
import io.careloop.meaning.Vectors;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suggestion floor and mix and the near-copy rule, swept on the calibrate split of the labelled grocery set
 * (printed, so a new model or set can be calibrated again) and checked with the configured values on the holdout.
 *
 * <p>Tried and not adopted: a gate by intent before the floor (not asking = closer to hand-written praise, spam and
 * chatter prototypes than to question and complaint ones, by a margin, nearest-3 as {@code queue.Prototypes}), and
 * the top cosine's margin over the second added to the score ({@code score + k * margin >= floor}). The gate is
 * leaky both ways: at margin 0 it stops 23 of 30 calibrate praise/spam/chatter but also 9 of 120 answerable, and
 * the unanswered real questions lean toward not asking too (median +0.05). At the 5% target the calibrate best
 * with the gate is meaning=0.8 wordsHalf=32 floor=0.34: top-1 62% calibrate (2 of 54 unanswerable shown), holdout
 * 51-53% top-1 but 3 of 50 (6%) shown, over the limit. Keeping calibrate at 1 of 54 for a safety margin, the gate
 * adds nothing (best 36% calibrate and 28% holdout with it, 34% and 32% without, both at k=1). The margin term
 * lifts calibrate top-1 a little without the gate (35% at k=0 to 40% at k=4) but not the holdout (30-33%), and
 * lowers it with the gate. What binds is the real questions no article answers, not the chatter.
 */
@DisplayName("Suggestions by words and meaning, and near-copies by meaning, on a labelled set")
class SuggestionCalibrationTest {
  static Fernway set;
  static KbIndex index;
  static final KbSettings CONFIGURED = Settings.from(new JsonObject(), Map.of()).kb();

  /** A mention with every article's words and meaning scores (all 20 are candidates), computed once for the sweep. */
  record Scored(Fernway.Mention mention, List<KbIndex.Candidate> candidates) {}

  static List<Scored> scored = new ArrayList<>();

  @BeforeAll
  static void build() {
    set = Fernway.load();
    index = set.index();
    for (Fernway.Mention m : set.mentions) scored.add(new Scored(m, index.candidates(m.text(), m.vector(), KbService.CANDIDATES)));
  }

  @AfterAll
  static void close() { index.close(); }

  /** Top-1 right and shown, of the mentions an article answers; shown at all, of those none answers. */
  record Outcome(double top1, double quiet, int answerable, int unanswerable) {}

  static Outcome outcome(String split, KbSettings rules) {
    int right = 0, answerable = 0, shown = 0, unanswerable = 0;
    for (Scored s : scored) {
      if (!s.mention().split().equals(split)) continue;
      List<Relevance.Scored> top = Relevance.rank(s.candidates(), rules, 1);
      if (s.mention().answer() != null) {
        answerable++;
        if (!top.isEmpty() && top.get(0).id().equals(s.mention().answer())) right++;
      } else {
        unanswerable++;
        if (!top.isEmpty()) shown++;
      }
    }
    return new Outcome((double) right / answerable, (double) shown / unanswerable, answerable, unanswerable);
  }

  static KbSettings with(double weight, double half, double floor) {
    return new KbSettings(weight, half, floor, CONFIGURED.nearCopyMeaning(), CONFIGURED.nearCopyResidual(), CONFIGURED.nearCopySame());
  }

  @Test
  @DisplayName("the sweep on the calibrate split: for each mix, the lowest floor that keeps quiet on 95% of what no article answers")
  void sweep() {
    record Point(double weight, double half, double floor, Outcome calibrate) {}
    List<Point> points = new ArrayList<>();
    for (double weight = 0; weight <= 1.0001; weight += 0.1) {
      for (double half : new double[] {4, 8, 16, 32}) {
        System.out.printf("  mix meaning=%.1f wordsHalf=%2.0f no floor: top-1 %.3f%n", weight, half, outcome("calibrate", with(weight, half, 0)).top1());
        for (double floor = 0; floor <= 1; floor += 0.01) {
          Outcome o = outcome("calibrate", with(weight, half, floor));
          if (o.quiet() <= 0.05) {
            points.add(new Point(weight, half, floor, o));
            break;
          }
        }
      }
    }
    points.sort(Comparator.comparingDouble((Point p) -> p.calibrate().top1()).reversed());
    System.out.println("KB suggestion sweep (calibrate split), best mixes at the floor that keeps quiet rate <= 5%:");
    points.stream().limit(8).forEach(p -> System.out.printf("  meaning=%.1f wordsHalf=%2.0f floor=%.2f top-1 %.3f quiet %.3f | holdout %s%n",
      p.weight(), p.half(), p.floor(), p.calibrate().top1(), p.calibrate().quiet(), outcome("holdout", with(p.weight(), p.half(), p.floor()))));
    assertTrue(!points.isEmpty());
  }

  @Test
  @DisplayName("on the holdout, with the configured mix and floor: a suggestion for at most 5% of mentions no article answers, and the right one first for those an article answers")
  void holdout() {
    Outcome calibrate = outcome("calibrate", CONFIGURED);
    Outcome holdout = outcome("holdout", CONFIGURED);
    Outcome unfloored = outcome("holdout", with(CONFIGURED.meaningWeight(), CONFIGURED.wordsHalf(), 0));
    Outcome wordsOnly = outcome("holdout", with(0, CONFIGURED.wordsHalf(), 0));
    Outcome meaningOnly = outcome("holdout", with(1, CONFIGURED.wordsHalf(), 0));
    System.out.printf("KB suggestions %s: calibrate top-1 %.3f quiet-miss %.3f | holdout (%d answerable, %d not) top-1 %.3f quiet-miss %.3f"
        + " | holdout without floor top-1 %.3f (words only %.3f, meaning only %.3f)%n", CONFIGURED, calibrate.top1(), calibrate.quiet(),
      holdout.answerable(), holdout.unanswerable(), holdout.top1(), holdout.quiet(), unfloored.top1(), wordsOnly.top1(), meaningOnly.top1());
    assertTrue(holdout.quiet() <= 0.05, "suggested for " + holdout.quiet() + " of mentions no article answers");
    // What this model reaches at that floor (the issue asks 90%: see the report); a guard against getting worse.
    assertTrue(holdout.top1() >= 0.25, "top-1 " + holdout.top1());
    assertTrue(meaningOnly.top1() > wordsOnly.top1() + 0.1, "meaning ranks better than words: " + meaningOnly.top1() + " vs " + wordsOnly.top1());
    assertTrue(unfloored.top1() >= wordsOnly.top1(), "the mix ranks no worse than words: " + unfloored.top1() + " vs " + wordsOnly.top1());
  }

  @Test
  @DisplayName("non-English mentions: the English model places them far from every article, so they get no suggestion (the agent reads them)")
  void nonEnglish() {
    List<String> mentions = List.of("¿Cómo cambio la hora de mi entrega?", "Comment annuler ma commande ?", "Wie ändere ich meine Lieferadresse?",
      "Mi pedido no ha llegado y dice entregado", "Je veux un remboursement pour un article manquant");
    for (String m : mentions) {
      List<KbIndex.Candidate> candidates = index.candidates(m, SentenceModel.shared().embed(m), KbService.CANDIDATES);
      Relevance.Scored best = candidates.stream().map(c -> Relevance.score(c, CONFIGURED)).max(Comparator.comparingDouble(Relevance.Scored::score)).orElseThrow();
      System.out.printf("non-English %-50s best %s %.3f (floor %.2f)%n", m, best.id(), best.score(), CONFIGURED.floor());
      assertTrue(Relevance.rank(candidates, CONFIGURED, 1).isEmpty(), m + " -> " + best);
    }
  }

  /** Whether the near-copy rule flags the pair, as KbService does: the questions' meaning, then what they do not share. */
  static boolean flagged(Fernway.Pair p, double meaning, double residual) {
    SentenceModel model = SentenceModel.shared();
    String a = ArticleVectors.questionText(p.a().title(), p.a().question()), b = ArticleVectors.questionText(p.b().title(), p.b().question());
    return flagged(model, a, b, meaning, residual);
  }

  static boolean flagged(SentenceModel model, String a, String b, double meaning, double residual) {
    double whole = Vectors.cosine(model.embed(a), model.embed(b));
    String onlyA = index.wordsNotIn(a, b), onlyB = index.wordsNotIn(b, a);
    double rest = onlyA.isEmpty() && onlyB.isEmpty() ? whole
      : Vectors.cosine(model.embed(onlyA.isEmpty() ? a : onlyA), model.embed(onlyB.isEmpty() ? b : onlyB));
    return Relevance.nearCopy(whole, rest, new KbSettings(0, 1, 0, meaning, residual, CONFIGURED.nearCopySame()));
  }

  @Test
  @DisplayName("a question reworded by a word or two is a near-copy whatever its residual; one word that matters apart is not")
  void rewordedQuestionIsACopy() {
    SentenceModel model = SentenceModel.shared();
    double meaning = CONFIGURED.nearCopyMeaning(), residual = CONFIGURED.nearCopyResidual();
    assertTrue(flagged(model, "Turn on two-factor authentication. How do I enable two-factor authentication?",
      "Enable two-factor authentication. How do I enable two-factor authentication?", meaning, residual));
    assertTrue(!flagged(model, "Cancel an order. How do I cancel an order I placed?",
      "Cancel your Fernway Pass. How do I cancel my Fernway Pass?", meaning, residual));
  }

  record Errors(int missed, int falseAlarms, int same, int different) {}

  /** False alarms among the set's own 20 articles, pairwise: each answers a different question. */
  static int articleAlarms(double meaning, double residual) {
    int alarms = 0;
    for (int i = 0; i < set.articles.size(); i++) {
      for (int j = i + 1; j < set.articles.size(); j++) {
        Article a = set.articles.get(i).article(), b = set.articles.get(j).article();
        if (flagged(SentenceModel.shared(), ArticleVectors.questionText(a.title(), a.question()), ArticleVectors.questionText(b.title(), b.question()), meaning, residual)) alarms++;
      }
    }
    return alarms;
  }

  static Errors errors(String split, double meaning, double residual) {
    int missed = 0, falseAlarms = 0, same = 0, different = 0;
    for (Fernway.Pair p : set.pairs) {
      if (!p.split().equals(split)) continue;
      boolean f = flagged(p, meaning, residual);
      if (p.same()) { same++; if (!f) missed++; }
      else { different++; if (f) falseAlarms++; }
    }
    return new Errors(missed, falseAlarms, same, different);
  }

  @Test
  @DisplayName("near-copies by meaning: the sweep on the calibrate pairs, then the configured rule on the holdout")
  void nearCopies() {
    record Point(double meaning, double residual, Errors calibrate, int articleAlarms) {
      int errors() { return calibrate.missed() + calibrate.falseAlarms() + articleAlarms; }
    }
    List<Point> points = new ArrayList<>();
    for (double meaning = 0.30; meaning <= 0.70; meaning += 0.05) {
      for (double residual = 0.30; residual <= 0.80; residual += 0.04) {
        points.add(new Point(meaning, residual, errors("calibrate", meaning, residual), articleAlarms(meaning, residual)));
      }
    }
    points.sort(Comparator.comparingInt(Point::errors));
    System.out.println("Near-copy sweep (calibrate pairs, and the 190 pairs of the set's different articles), fewest errors first:");
    points.stream().limit(8).forEach(p -> System.out.printf("  meaning>=%.2f residual>=%.2f x: %s, articles flagged %d | holdout %s%n", p.meaning(), p.residual(),
      p.calibrate(), p.articleAlarms(), errors("holdout", p.meaning(), p.residual())));
    System.out.printf("Configured rule flags %d of the 190 pairs of different articles%n", articleAlarms(CONFIGURED.nearCopyMeaning(), CONFIGURED.nearCopyResidual()));
    Errors holdout = errors("holdout", CONFIGURED.nearCopyMeaning(), CONFIGURED.nearCopyResidual());
    Errors words = wordsOnly("holdout");
    System.out.printf("Near-copy holdout, configured rule: %s; the words rule before (Jaccard >= %.1f): %s%n", holdout, KbService.DUPLICATE_SIMILARITY, words);
    assertTrue(holdout.missed() + holdout.falseAlarms() < words.missed() + words.falseAlarms(), "meaning beats words: " + holdout + " vs " + words);
  }

  static Errors wordsOnly(String split) {
    int missed = 0, falseAlarms = 0, same = 0, different = 0;
    for (Fernway.Pair p : set.pairs) {
      if (!p.split().equals(split)) continue;
      boolean f = KbService.similarity(new java.util.HashSet<>(index.analyze(p.a().title() + " " + p.a().question())),
        new java.util.HashSet<>(index.analyze(p.b().title() + " " + p.b().question()))) >= KbService.DUPLICATE_SIMILARITY;
      if (p.same()) { same++; if (!f) missed++; }
      else { different++; if (f) falseAlarms++; }
    }
    return new Errors(missed, falseAlarms, same, different);
  }
}
