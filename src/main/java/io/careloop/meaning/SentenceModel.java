package io.careloop.meaning;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The local sentence-embedding model: all-MiniLM-L6-v2 (quantised) on ONNX Runtime, in this process, its weights
 * inside the jar. No customer text leaves the machine and nothing is downloaded. One per JVM (loading takes about a
 * second and 90 MB): {@link #shared()}. Calls block for about a millisecond per short sentence: call them on a worker
 * ({@link Embeddings} does).
 *
 * <p>Vectors are unit length, so the cosine of two is their dot product ({@link Vectors#cosine}).
 */
public final class SentenceModel {
  /** Stored with each vector: a vector of another model (after an upgrade) is recomputed, never compared. */
  public static final String ID = "all-minilm-l6-v2-q";
  public static final int DIMENSION = 384;

  private static final class Holder {
    static final SentenceModel SHARED = new SentenceModel();
  }

  private final AllMiniLmL6V2QuantizedEmbeddingModel model;

  private SentenceModel() {
    // DJL (the tokenizer's loader) reports usage when it believes it runs on EC2: never from here.
    System.setProperty("OPT_OUT_TRACKING", "true");
    // The caller's thread does the work: Embeddings decides how many threads embed, not the library.
    model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
  }

  public static SentenceModel shared() { return Holder.SHARED; }

  /** The text's unit vector (blocking). Handles, links and markup are taken out first ({@link MeaningText}). */
  public float[] embed(String text) {
    return Vectors.normalised(model.embed(MeaningText.of(text)).content().vector());
  }

  /** Vectors of several texts, in order (blocking). */
  public List<float[]> embedAll(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String t : texts) segments.add(TextSegment.from(MeaningText.of(t)));
    List<float[]> out = new ArrayList<>(texts.size());
    model.embedAll(segments).content().forEach(e -> out.add(Vectors.normalised(e.vector())));
    return out;
  }
}
