package io.careloop.cycle;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.SplittableRandom;

/**
 * MinHash signatures of token sets and their locality-sensitive bands: two sets of Jaccard similarity {@code s}
 * share at least one band with probability {@code 1 - (1 - s^rows)^bands}. With 24 bands of 2 rows that is 0.99 at
 * s = 0.5, 0.88 at 0.3 and 0.16 at 0.1, so near-duplicates meet in a bucket and unrelated mentions rarely do.
 */
public final class MinHash {
  private final int bands;
  private final int rows;
  private final long[] seeds;

  public MinHash(int bands, int rows) {
    if (bands < 1 || rows < 1) throw new IllegalArgumentException("bands and rows must be positive");
    this.bands = bands;
    this.rows = rows;
    // Fixed seeds: signatures are comparable across restarts and nodes.
    SplittableRandom random = new SplittableRandom(0x5eed_ca7e_100bL);
    this.seeds = new long[bands * rows];
    for (int i = 0; i < seeds.length; i++) seeds[i] = random.nextLong();
  }

  public int bands() { return bands; }

  public long[] signature(Collection<String> tokens) {
    long[] sig = new long[seeds.length];
    java.util.Arrays.fill(sig, Long.MAX_VALUE);
    for (String token : tokens) {
      long base = fnv1a(token);
      for (int i = 0; i < seeds.length; i++) {
        long h = mix(base ^ seeds[i]);
        if (h < sig[i]) sig[i] = h;
      }
    }
    return sig;
  }

  /** One key per band; equal keys mean the sets agree on all rows of that band. The band number is mixed in. */
  public long[] bandKeys(long[] signature) {
    long[] keys = new long[bands];
    for (int b = 0; b < bands; b++) {
      long h = 0x9E3779B97F4A7C15L * (b + 1);
      for (int r = 0; r < rows; r++) h = mix(h ^ signature[b * rows + r]);
      keys[b] = h;
    }
    return keys;
  }

  static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** SplitMix64's finaliser: a cheap, well-spread 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
