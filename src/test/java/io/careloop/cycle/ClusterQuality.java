package io.careloop.cycle;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Agreement between a clustering and the true labels, from their contingency table, so it is linear in the number of
 * items: the adjusted Rand index (1 = identical, about 0 = chance) and pairwise precision and recall (of the pairs put
 * together, how many belong together; of the pairs that belong together, how many were put together).
 */
public record ClusterQuality(double adjustedRand, double precision, double recall) {

  public static ClusterQuality of(List<String> labels, List<String> clusters) {
    if (labels.size() != clusters.size()) throw new IllegalArgumentException("one label per item");
    Map<String, Long> byLabel = new HashMap<>();
    Map<String, Long> byCluster = new HashMap<>();
    Map<String, Long> cells = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byLabel.merge(labels.get(i), 1L, Long::sum);
      byCluster.merge(clusters.get(i), 1L, Long::sum);
      cells.merge(labels.get(i) + "\u0000" + clusters.get(i), 1L, Long::sum);
    }
    double together = cells.values().stream().mapToDouble(ClusterQuality::pairs).sum();
    double truePairs = byLabel.values().stream().mapToDouble(ClusterQuality::pairs).sum();
    double predictedPairs = byCluster.values().stream().mapToDouble(ClusterQuality::pairs).sum();
    double all = pairs(labels.size());
    double expected = truePairs * predictedPairs / all;
    double max = (truePairs + predictedPairs) / 2;
    double ari = max == expected ? 1 : (together - expected) / (max - expected);
    return new ClusterQuality(ari, predictedPairs == 0 ? 1 : together / predictedPairs, truePairs == 0 ? 1 : together / truePairs);
  }

  private static double pairs(long n) { return n * (n - 1) / 2.0; }
}
