package io.careloop.meaning;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SentenceModelTest {
  @Test
  void paraphrasesWithNoWordInCommonAreCloserThanSharedWords() {
    SentenceModel m = SentenceModel.shared();
    float[] slow = m.embed("super slow connection all week");
    float[] broadband = m.embed("my broadband speed is terrible tonight");
    float[] okta = m.embed("how do I set up single sign-on with Okta");
    double same = Vectors.cosine(slow, broadband), other = Vectors.cosine(slow, okta);
    assertTrue(same > other + 0.2, "paraphrase " + same + " vs unrelated " + other);
  }

  @Test
  void handlesAndLinksDoNotChangeTheMeaning() {
    SentenceModel m = SentenceModel.shared();
    double c = Vectors.cosine(m.embed("@acme my invoice is wrong https://t.co/abc"), m.embed("@someoneelse my invoice is wrong"));
    assertEquals(1.0, c, 1e-4);
  }

  @Test
  void batchAndSingleAgreeAndVectorsAreUnitLength() {
    SentenceModel m = SentenceModel.shared();
    List<float[]> all = m.embedAll(List.of("where is my parcel", "thanks, that worked!"));
    assertEquals(1.0, Vectors.cosine(all.get(0), m.embed("where is my parcel")), 1e-4);
    assertEquals(1.0, Vectors.cosine(all.get(1), all.get(1)), 1e-4);
    assertEquals(SentenceModel.DIMENSION, all.get(0).length);
  }

  @Test
  void storedFormRoundTripsExactly() {
    float[] v = SentenceModel.shared().embed("round trip");
    float[] back = Vectors.decode(Vectors.encode(v));
    for (int i = 0; i < v.length; i++) assertEquals(v[i], back[i]);
  }

  @Test
  void emptyAndHostileTextStillEmbed() {
    SentenceModel m = SentenceModel.shared();
    assertEquals(SentenceModel.DIMENSION, m.embed("").length);
    assertEquals(SentenceModel.DIMENSION, m.embed("<script>alert(1)</script>{{x}}").length);
    assertEquals(SentenceModel.DIMENSION, m.embed("x".repeat(100_000)).length);
  }

  @Test
  void aMachineWithoutTheModelFailsFastOnceAndSaysWhy() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      int[] loads = {0};
      Embeddings e = new Embeddings(vertx, () -> {
        loads[0]++;
        throw new UnsatisfiedLinkError("no libonnxruntime for this platform");
      });
      var first = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> e.embed("hello").await());
      assertTrue(first instanceof ModelUnavailable, first.toString());
      assertTrue(first.getMessage().contains("libonnxruntime"), first.getMessage());
      org.junit.jupiter.api.Assertions.assertThrows(ModelUnavailable.class, () -> e.embedAll(List.of("a", "b")).await());
      assertEquals(1, loads[0], "tried once, then fails fast");
      assertTrue(e.unavailable() != null);
    } finally {
      vertx.close().await();
    }
  }
}
