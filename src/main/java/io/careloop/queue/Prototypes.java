package io.careloop.queue;

import io.careloop.meaning.Vectors;

import java.util.List;
import java.util.function.Function;

/**
 * Example sentences of one class, as vectors computed once: how close a text's vector is to the class is the mean
 * cosine of its {@value #NEAREST} nearest examples. Nearest rather than the centre, because a class such as
 * "thanks" has several shapes ("👍", "ok that fixed it", "no need to reply") whose mean is none of them.
 */
final class Prototypes {
  static final int NEAREST = 3;

  private final List<float[]> vectors;

  private Prototypes(List<float[]> vectors) {
    this.vectors = List.copyOf(vectors);
  }

  static Prototypes of(List<String> sentences, Function<List<String>, List<float[]>> embed) {
    List<float[]> vs = embed.apply(sentences);
    if (vs.size() != sentences.size()) throw new IllegalArgumentException("embedder returned " + vs.size() + " vectors for " + sentences.size() + " sentences");
    return new Prototypes(vs);
  }

  double closeness(float[] v) {
    double[] best = new double[Math.min(NEAREST, vectors.size())];
    java.util.Arrays.fill(best, -2);
    for (float[] p : vectors) {
      double c = Vectors.cosine(p, v);
      for (int i = 0; i < best.length; i++) {
        if (c > best[i]) {
          System.arraycopy(best, i, best, i + 1, best.length - i - 1);
          best[i] = c;
          break;
        }
      }
    }
    double sum = 0;
    for (double b : best) sum += b;
    return sum / best.length;
  }
}
