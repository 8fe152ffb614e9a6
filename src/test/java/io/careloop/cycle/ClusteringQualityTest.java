package io.careloop.cycle;

import io.careloop.config.Settings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Clustering quality on a hand-labelled set: 54 mentions in six groups of paraphrases (about half answered with the
 * group's KB article, half in free text) and ten one-off mentions. The clustering must agree with the labels to an
 * adjusted Rand index of at least 0.8, whatever order the answers come in. These mentions carry no vectors: this is
 * the word fallback, for questions whose vector is not computed yet (meaning: {@link ClusteringByMeaningTest}).
 */
class ClusteringQualityTest {
  /** The packaged thresholds (conf/careloop.json). */
  static final ClusterIndex.Thresholds CONF = ClusterService.thresholds(Settings.from(new JsonObject(), Map.of()).cycle());

  record Labelled(String label, String text, String kb) {}

  static final List<Labelled> SET = new ArrayList<>();

  static void group(String label, String kb, String... texts) {
    for (int i = 0; i < texts.length; i++) SET.add(new Labelled(label, texts[i], i % 2 == 0 ? kb : null));
  }

  static {
    group("password", "kb-password",
      "@acme how do I reset my password?", "forgot my password, how can I reset it @acme", "@acme password reset link never arrives",
      "can't log in, forgot pwd. how to reset? @acme", "how to change my password? @acme 🙏", "reset password not working @acme",
      "@acme i lost my password what do i do", "Password reset email not received @acme", "@acme how do i reset my pw on the app");
    group("export", "kb-export",
      "@acme how do I export my data to CSV?", "is there a way to download all my data as csv @acme", "@acme export to csv button missing",
      "need to export my data to a spreadsheet @acme", "how can i download my data @acme", "@acme CSV export of my data please",
      "where's the export data option @acme", "exporting data to csv fails @acme https://t.co/x1", "@acme can I export data?");
    group("cancel", "kb-cancel",
      "@acme how do I cancel my subscription?", "want to cancel my subscription, how? @acme", "@acme cancel subscription button doesn't work",
      "how to unsubscribe from the paid subscription @acme", "@acme please cancel my account subscription", "cancelling my subscription is impossible @acme",
      "@acme where do i cancel the subscription", "I need to cancel my monthly subscription @acme", "@acme stop my subscription please, cancel it");
    group("invite", "kb-invite",
      "@acme how do I invite a teammate to my workspace?", "how can I invite a colleague to our team @acme", "@acme invite team member not working",
      "inviting a coworker to the workspace? @acme", "@acme can't invite my team", "how to invite people to my workspace @acme",
      "@acme invite link for team members expired", "invite new member to team workspace @acme", "@acme invitations to my teammates never arrive");
    group("2fa", "kb-2fa",
      "@acme how do I turn on 2FA?", "enable two-factor authentication on my account @acme", "@acme lost my 2fa phone, how to log in",
      "2fa code not arriving @acme", "@acme does the app support two factor authentication", "how to set up two-factor auth @acme",
      "@acme my 2FA code is always rejected", "enable mfa for my account @acme", "@acme turn on two factor authentication");
    group("invoice", "kb-invoice",
      "@acme where can I download my invoices?", "need a copy of my invoice @acme", "@acme how do I get a receipt for my payment",
      "can't find my invoices in billing @acme", "@acme invoice for last month please", "where are the invoices? @acme",
      "@acme get a VAT invoice", "billing page doesn't show my invoice @acme", "@acme I need my receipts for accounting");
    String[] singles = {"@acme love the new dark mode!", "@acme your app crashed when I opened settings", "@acme is there a discount for students?",
      "@acme when is the next product webinar", "@acme great support today, thanks Sam", "@acme do you have an office in Berlin?",
      "@acme what's your uptime this month", "@acme the android widget is broken", "@acme any plans for a linux version",
      "@acme can I change my username"};
    for (int i = 0; i < singles.length; i++) SET.add(new Labelled("single-" + i, singles[i], null));
  }

  static ClusterQuality cluster(List<Labelled> items) {
    ClusterIndex index = new ClusterIndex(CONF);
    List<String> labels = new ArrayList<>();
    List<String> assigned = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Labelled l = items.get(i);
      assigned.add(index.assign(new ClusterIndex.Mention("c" + i, QuestionText.tokens(l.text()), l.kb())).clusterId());
      labels.add(l.label());
    }
    // Merges are resolved when reading, as the service does.
    return ClusterQuality.of(labels, assigned.stream().map(index::resolve).toList());
  }

  @Test
  void agreesWithTheLabelsInTheOrderWritten() {
    assertTrue(SET.size() >= 60, "at least 60 labelled mentions");
    ClusterQuality q = cluster(SET);
    System.out.printf("in order: ARI %.3f, pairwise precision %.3f, recall %.3f%n", q.adjustedRand(), q.precision(), q.recall());
    assertTrue(q.adjustedRand() >= 0.8, "ARI " + q.adjustedRand());
  }

  @Test
  void agreesWithTheLabelsWhateverTheOrder() {
    for (int seed = 1; seed <= 20; seed++) {
      List<Labelled> shuffled = new ArrayList<>(SET);
      Collections.shuffle(shuffled, new Random(seed));
      ClusterQuality q = cluster(shuffled);
      assertTrue(q.adjustedRand() >= 0.8, "ARI " + q.adjustedRand() + " with shuffle seed " + seed);
    }
  }

  @Test
  void oneOffMentionsStayAlone() {
    ClusterIndex index = new ClusterIndex(CONF);
    SET.stream().filter(l -> l.label().startsWith("single")).forEach(l ->
      assertTrue(index.assign(new ClusterIndex.Mention("c" + l.text().hashCode(), QuestionText.tokens(l.text()), null)).created(), l.text()));
  }

  @Test
  void differentArticlesKeepSimilarWordingApart() {
    ClusterIndex index = new ClusterIndex(CONF);
    var a = index.assign(new ClusterIndex.Mention("c1", QuestionText.tokens("how do I export my invoices"), "kb-export"));
    var b = index.assign(new ClusterIndex.Mention("c2", QuestionText.tokens("how do I export my invoices?"), "kb-export"));
    var c = index.assign(new ClusterIndex.Mention("c3", QuestionText.tokens("how do I export my team invoices"), "kb-billing"));
    assertEquals(a.clusterId(), b.clusterId());
    assertNotEquals(a.clusterId(), c.clusterId());
  }

  @Test
  void mergeAndSplitMoveMentionsBetweenClusters() {
    ClusterIndex index = new ClusterIndex(CONF);
    var pw = index.assign(new ClusterIndex.Mention("c1", QuestionText.tokens("reset my password"), null));
    var login = index.assign(new ClusterIndex.Mention("c2", QuestionText.tokens("cannot sign in to the web app"), null));
    assertTrue(login.created());
    index.merge(login.clusterId(), pw.clusterId());
    assertEquals(pw.clusterId(), index.resolve(login.clusterId()));
    // After the merge, a mention like either joins the merged cluster.
    assertEquals(pw.clusterId(), index.assign(new ClusterIndex.Mention("c3", QuestionText.tokens("cannot sign in to the web app!"), null)).clusterId());
    index.split(pw.clusterId(), "qc2-split", List.of(new ClusterIndex.Mention("c2", QuestionText.tokens("cannot sign in to the web app"), null),
      new ClusterIndex.Mention("c3", QuestionText.tokens("cannot sign in to the web app!"), null)));
    assertEquals("qc2-split", index.assign(new ClusterIndex.Mention("c4", QuestionText.tokens("sign in to the web app, impossible"), null)).clusterId());
    assertEquals(2, index.clusterCount());
    // A person split them: a mention close to both does not join them again.
    var both = index.assign(new ClusterIndex.Mention("c5", QuestionText.tokens("reset my password, cannot sign in to the web app"), null));
    assertTrue(both.absorbed().isEmpty());
    assertEquals(2, index.clusterCount());
  }

  @Test
  void normalisationDropsHandlesLinksEmojiAndStems() {
    assertEquals(List.of("reset", "password", "log"), List.copyOf(QuestionText.tokens("@acme Resetting my PASSWORDS 🙏 https://t.co/abc #login")));
    assertEquals(List.of("forget", "password"), List.copyOf(QuestionText.tokens("forgot pwd")));
    assertEquals(List.of("reset", "password"), List.copyOf(QuestionText.tokens(
      "<img src=x onerror=\"alert(1)\"><script>steal(document.cookie)</script> {{constructor}} reset my password?")),
      "markup and template syntax are not part of the question");
  }
}
