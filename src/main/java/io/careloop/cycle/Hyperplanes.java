package io.careloop.cycle;

import java.util.Random;

/**
 * Random-hyperplane LSH of unit vectors: each bit says on which side of a random hyperplane the vector lies, so two
 * vectors at cosine {@code c} agree on a bit with probability {@code 1 - acos(c) / pi} (0.75 at c = 0.7, 0.70 at 0.6,
 * 0.54 at 0.1). A table's key is {@code bits} such bits; two vectors meet in a table when they agree on all of them.
 * Each table is also probed with its least certain bit flipped (the plane the vector lies closest to), which nearly
 * doubles the chance that near vectors meet for one more bucket read.
 */
final class Hyperplanes {
  private final int tables;
  private final int bits;
  private final int dimension;
  private final float[][] planes;

  Hyperplanes(int dimension, int tables, int bits) {
    if (tables < 1 || bits < 1 || bits > 30) throw new IllegalArgumentException("tables >= 1 and bits in [1, 30]");
    this.tables = tables;
    this.bits = bits;
    this.dimension = dimension;
    // A fixed seed: the same answers in the same order give the same clusters (in tests, benches and every node).
    Random random = new Random(0x5eed_ca7e_19L);
    planes = new float[tables * bits][dimension];
    for (float[] p : planes) for (int i = 0; i < dimension; i++) p[i] = (float) random.nextGaussian();
  }

  /** Two keys per table (its bucket, then the bucket across its least certain plane), the table number mixed in. */
  long[] keys(float[] v) {
    if (v.length != dimension) throw new IllegalArgumentException("vectors of " + v.length + " dimensions, the index has " + dimension);
    long[] keys = new long[tables * 2];
    for (int t = 0; t < tables; t++) {
      int key = 0;
      int weakest = 0;
      double weakestMargin = Double.MAX_VALUE;
      for (int b = 0; b < bits; b++) {
        double side = ClusterIndex.dot(planes[t * bits + b], v);
        if (side >= 0) key |= 1 << b;
        if (Math.abs(side) < weakestMargin) {
          weakestMargin = Math.abs(side);
          weakest = b;
        }
      }
      long table = (long) t << 32;
      keys[2 * t] = table | key;
      keys[2 * t + 1] = table | (key ^ (1 << weakest));
    }
    return keys;
  }
}
