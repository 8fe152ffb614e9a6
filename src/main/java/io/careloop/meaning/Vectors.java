package io.careloop.meaning;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Collection;

/** Plain arithmetic on sentence vectors, and their stored form. */
public final class Vectors {
  private Vectors() {}

  /** The cosine of two unit vectors (their dot product), in [-1, 1]. */
  public static double cosine(float[] a, float[] b) {
    if (a.length != b.length) throw new IllegalArgumentException("vectors of different models: " + a.length + " and " + b.length);
    double sum = 0;
    for (int i = 0; i < a.length; i++) sum += a[i] * b[i];
    return sum;
  }

  public static float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) norm += x * x;
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    if (norm == 0) return out;
    for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / norm);
    return out;
  }

  /** The normalised mean: the direction several sentences share (a class's prototype, a cluster's centre). */
  public static float[] centre(Collection<float[]> vectors) {
    float[] sum = null;
    for (float[] v : vectors) {
      if (sum == null) sum = new float[v.length];
      for (int i = 0; i < v.length; i++) sum[i] += v[i];
    }
    if (sum == null) throw new IllegalArgumentException("no vectors");
    return normalised(sum);
  }

  /** Stored as base64 of little-endian float32: 2 KB a vector, exact, and any MongoDB stores a string. */
  public static String encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) b.putFloat(x);
    return Base64.getEncoder().encodeToString(b.array());
  }

  public static float[] decode(String stored) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(stored)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / 4];
    for (int i = 0; i < v.length; i++) v[i] = b.getFloat();
    return v;
  }
}
