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
 * Clustering at volume, by meaning and by words, at 100,000 and at 200,000 answered mentions in the same run.
 *
 * <p>By meaning (the mentions' stored vectors): 3,000 questions in 150 topics, asked with Zipf-like popularity; a
 * question's direction is its topic's plus its own (questions of one topic at cosine about 0.3), a mention's is its
 * question's plus noise (cosine about 0.75 with its question, 0.56 between two mentions of it); half answered with
 * the question's KB article, one in five a one-off remark in a random direction. Each carries the words of a phrasing
 * too, normalised per answer as the service does. Vectors are made a slice at a time outside the clock, so the
 * 300 MB of 200,000 vectors never sit in memory at once; only assigning is timed.
 *
 * <p>By words (the fallback, and the baseline from before vectors): 400 distinct questions asked with Zipf-like
 * popularity in eight phrasings, with filler words, emoji, handles and typos; half answered with the question's KB
 * article; one in five a one-off remark. Timed normalising the text and assigning.
 *
 * <p>Reports the time for each, the doubling ratio, and the adjusted Rand index and pairwise precision and recall
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

  static final int DIMENSION = 384;
  static final int TOPICS = 150;
  static final int PER_TOPIC = 20;
  static final int SLICE = 10_000;

  /** The questions' directions: its topic's and its own, so neighbouring questions are alike but not the same. */
  static float[][] questionDirections(long seed) {
    Random random = new Random(seed);
    float[][] out = new float[TOPICS * PER_TOPIC][];
    for (int t = 0; t < TOPICS; t++) {
      float[] topic = gaussian(random);
      for (int q = 0; q < PER_TOPIC; q++) out[t * PER_TOPIC + q] = mix(topic, 0.55, gaussian(random), 0.835);
    }
    return out;
  }

  static float[] gaussian(Random random) {
    float[] v = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) v[i] = (float) random.nextGaussian();
    return unit(v);
  }

  static float[] mix(float[] a, double wa, float[] b, double wb) {
    float[] v = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) v[i] = (float) (wa * a[i] + wb * b[i]);
    return unit(v);
  }

  static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) norm += x * x;
    norm = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) v[i] /= norm;
    return v;
  }

  record Vectored(String label, String text, String kb, float[] vector) {}

  /** The next slice of mentions with vectors (see the class comment). */
  static List<Vectored> vectored(int n, float[][] questions, Random random) {
    List<Vectored> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (random.nextInt(5) == 0) {
        out.add(new Vectored("noise-" + random.nextLong(), "@AcmeCloud " + NOISE[random.nextInt(NOISE.length)] + " " + NOISE[random.nextInt(NOISE.length)],
          null, gaussian(random)));
        continue;
      }
      int q = (int) Math.min(questions.length - 1, Math.floor(Math.pow(questions.length, random.nextDouble())) - 1);
      int w = q % (ACTIONS.length * OBJECTS.length);
      String text = String.format(PHRASINGS[random.nextInt(PHRASINGS.length)], ACTIONS[w % ACTIONS.length], OBJECTS[w / ACTIONS.length]);
      out.add(new Vectored("q" + q, text, random.nextBoolean() ? "kb-" + q : null, mix(questions[q], 0.75, gaussian(random), 0.66)));
    }
    return out;
  }

  static Run runVectored(int n, long seed) {
    float[][] questions = questionDirections(seed);
    Random random = new Random(seed + 1);
    ClusterIndex index = new ClusterIndex(CONF);
    List<String> labels = new ArrayList<>(n);
    List<String> assigned = new ArrayList<>(n);
    long nanos = 0;
    for (int done = 0; done < n; done += SLICE) {
      List<Vectored> slice = vectored(Math.min(SLICE, n - done), questions, random);
      long t0 = System.nanoTime();
      for (int i = 0; i < slice.size(); i++) {
        Vectored m = slice.get(i);
        assigned.add(index.assign(new ClusterIndex.Mention("c" + (done + i), QuestionText.tokens(m.text()), m.kb(), m.vector())).clusterId());
      }
      nanos += System.nanoTime() - t0;
      slice.forEach(m -> labels.add(m.label()));
    }
    return new Run(n, nanos / 1e9, index.clusterCount(), ClusterQuality.of(labels, assigned.stream().map(index::resolve).toList()));
  }

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
    // Warm-up: JIT and the analyzer, on both paths, the one measured first last. After 50,000 by meaning the first
    // 100,000 still ran at 1.5 times the cost per mention of the 200,000 after them: the compiler was not done.
    run(generate(50_000, 7));
    runVectored(150_000, 7);
    StringBuilder report = new StringBuilder();
    report(report, "by meaning", runVectored(100_000, 1), runVectored(200_000, 2));
    report(report, "by words", run(generate(100_000, 1)), run(generate(200_000, 2)));
    memory(report, 100_000);
    BenchResults.publish("cluster.txt", report);
  }

  /**
   * What 100,000 answered mentions with vectors cost in memory once the index holds them (the node keeping the
   * clusters holds this for good): heap after a full collection and the process's RSS, against the same mentions by
   * words alone in the same run.
   */
  static void memory(StringBuilder report, int n) {
    float[][] questions = questionDirections(3);
    List<Vectored> mentions = vectored(n, questions, new Random(4));
    long before = heapAfterGc();
    ClusterIndex byMeaning = new ClusterIndex(CONF);
    for (int i = 0; i < n; i++) {
      Vectored m = mentions.get(i);
      // A copy, as a vector read from the database would be: whatever the index keeps of it is counted as the index's.
      byMeaning.assign(new ClusterIndex.Mention("c" + i, QuestionText.tokens(m.text()), m.kb(), m.vector().clone()));
    }
    long meaning = heapAfterGc() - before;
    long rss = rssKb();
    int clusters = byMeaning.clusterCount();
    byMeaning = null;
    long before2 = heapAfterGc();
    ClusterIndex byWords = new ClusterIndex(CONF);
    for (int i = 0; i < n; i++) {
      Vectored m = mentions.get(i);
      byWords.assign(new ClusterIndex.Mention("c" + i, QuestionText.tokens(m.text()), m.kb()));
    }
    long words = heapAfterGc() - before2;
    report.append(String.format("memory n=%d: index by meaning holds %.1f MB of heap (%d clusters), by words %.1f MB (%d clusters, %.1fx); process RSS with the meaning index %.0f MB; the mentions' own vectors (input) %.1f MB%n",
      n, meaning / 1e6, clusters, words / 1e6, byWords.clusterCount(), (double) meaning / Math.max(1, words), rss / 1024.0, n * 384 * 4 / 1e6));
  }

  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  static long rssKb() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", ""));
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }

  static void report(StringBuilder report, String path, Run small, Run large) {
    for (Run r : List.of(small, large)) {
      report.append(String.format("cluster %s n=%d time=%.2f s (%.1f µs/mention) clusters=%d ARI=%.3f pairwise precision=%.3f recall=%.3f%n",
        path, r.n(), r.seconds(), r.seconds() * 1e6 / r.n(), r.clusters(), r.quality().adjustedRand(), r.quality().precision(), r.quality().recall()));
    }
    report.append(String.format("cluster %s doubling ratio (200k/100k) = %.2fx (goal <= 2.2x); 100k goal <= 10 s%n", path,
      large.seconds() / small.seconds()));
  }
}
