package io.careloop.bench;

import io.careloop.config.Settings;
import io.careloop.cycle.ClusterIndex;
import io.careloop.cycle.ClusterService;
import io.careloop.cycle.ClusterQuality;
import io.careloop.cycle.QuestionText;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Clustering at volume: a generator of answered mentions (400 distinct questions asked with Zipf-like popularity in
 * eight phrasings, with filler words, emoji, handles and typos; half answered with the question's KB article; one in
 * five a one-off remark), clustered at 100,000 and at 200,000 in the same run. Reports the time for each (normalising
 * the text and assigning, as the service does per answer), the doubling ratio, and pairwise precision and recall
 * against the generator's labels. Writes target/bench/cluster.txt.
 */
public final class ClusterBench {
  static final String[] ACTIONS = {"reset", "change", "export", "import", "delete", "cancel", "invite", "enable", "disable", "download",
    "upgrade", "rename", "move", "share", "sync", "restore", "verify", "transfer", "archive", "update"};
  static final String[] OBJECTS = {"password", "invoice", "data", "team member", "subscription", "2fa", "api key", "webhook", "workspace",
    "report", "backup", "region", "domain", "billing address", "payment method", "project", "folder", "notification settings",
    "calendar", "integration"};
  static final String[] PHRASINGS = {"@AcmeCloud how do I %s my %s?", "cant %s %s, help @AcmeCloud", "is there a way to %s the %s",
    "@AcmeCloud %s %s not working", "where do I %s my %s @AcmeCloud", "need to %s %s asap", "@AcmeCloud %s %s??", "how can i %s %s"};
  static final String[] FILLERS = {"", "", "", " today", " again", " ugh", " pls", " 🙏", " 😡", " thanks", " https://t.co/x1y2", " @sam"};
  static final String[] NOISE = {"love", "the", "new", "dark", "mode", "great", "webinar", "office", "berlin", "student", "discount",
    "crash", "widget", "linux", "android", "uptime", "support", "coffee", "award", "conference", "hiring", "jobs", "logo", "merch"};

  /** The packaged thresholds (conf/careloop.json). */
  static final ClusterIndex.Thresholds CONF = ClusterService.thresholds(Settings.from(new JsonObject(), Map.of()).cycle());

  record Mention(String label, String text, String kb) {}

  static List<Mention> generate(int n, long seed) {
    Random random = new Random(seed);
    List<Mention> out = new ArrayList<>(n);
    int questions = ACTIONS.length * OBJECTS.length;
    for (int i = 0; i < n; i++) {
      if (random.nextInt(5) == 0) {
        StringBuilder b = new StringBuilder("@AcmeCloud");
        for (int w = 0; w < 3 + random.nextInt(4); w++) b.append(' ').append(NOISE[random.nextInt(NOISE.length)]).append(random.nextInt(500));
        out.add(new Mention("noise-" + i, b.toString(), null));
        continue;
      }
      // Zipf-like: a few questions are asked very often, most rarely.
      int q = (int) Math.min(questions - 1, Math.floor(Math.pow(questions, random.nextDouble())) - 1);
      String action = ACTIONS[q % ACTIONS.length];
      String object = OBJECTS[q / ACTIONS.length];
      String text = String.format(PHRASINGS[random.nextInt(PHRASINGS.length)], action, object) + FILLERS[random.nextInt(FILLERS.length)];
      if (random.nextInt(10) == 0) text = typo(text, random);
      out.add(new Mention("q" + q, text, random.nextBoolean() ? "kb-" + q : null));
    }
    return out;
  }

  static String typo(String text, Random random) {
    int at = 1 + random.nextInt(text.length() - 1);
    return text.substring(0, at - 1) + text.substring(at);
  }

  record Run(int n, double seconds, int clusters, ClusterQuality quality) {}

  static Run run(List<Mention> mentions) {
    ClusterIndex index = new ClusterIndex(CONF);
    List<String> assigned = new ArrayList<>(mentions.size());
    long t0 = System.nanoTime();
    for (int i = 0; i < mentions.size(); i++) {
      Mention m = mentions.get(i);
      assigned.add(index.assign(new ClusterIndex.Mention("c" + i, QuestionText.tokens(m.text()), m.kb())).clusterId());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<String> labels = mentions.stream().map(Mention::label).toList();
    return new Run(mentions.size(), seconds, index.clusterCount(), ClusterQuality.of(labels, assigned.stream().map(index::resolve).toList()));
  }

  public static void main(String[] args) throws Exception {
    run(generate(50_000, 7)); // warm-up: JIT and the analyzer
    Run small = run(generate(100_000, 1));
    Run large = run(generate(200_000, 2));
    StringBuilder report = new StringBuilder();
    for (Run r : List.of(small, large)) {
      report.append(String.format("cluster n=%d time=%.2f s (%.1f µs/mention) clusters=%d ARI=%.3f pairwise precision=%.3f recall=%.3f%n",
        r.n(), r.seconds(), r.seconds() * 1e6 / r.n(), r.clusters(), r.quality().adjustedRand(), r.quality().precision(), r.quality().recall()));
    }
    report.append(String.format("cluster doubling ratio (200k/100k) = %.2fx (goal <= 2.2x); 100k goal <= 10 s%n", large.seconds() / small.seconds()));
    BenchResults.publish("cluster.txt", report);
  }
}
