package io.careloop.meaning;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

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

  private final AbstractInProcessEmbeddingModel model;

  private SentenceModel() {
    // DJL (the tokenizer's loader) reports usage when it believes it runs on EC2: never from here.
    System.setProperty("OPT_OUT_TRACKING", "true");
    OnnxBertBiEncoder encoder = encoder();
    // The caller's thread does the work: Embeddings decides how many threads embed, not the library.
    model = new AbstractInProcessEmbeddingModel(Runnable::run) {
      @Override protected OnnxBertBiEncoder model() { return encoder; }
      @Override protected Integer knownDimension() { return DIMENSION; }
    };
  }

  /**
   * The packaged model (the same files langchain4j's all-MiniLM-L6-v2-q class loads) in a session of one thread:
   * ONNX Runtime would otherwise take every core for each sentence, and embedding runs behind ingestion, so it must
   * leave the other cores to it. Measured: one thread embeds 380 posts/s (EmbeddingBench), two 474/s.
   */
  private static OnnxBertBiEncoder encoder() {
    ClassLoader jar = SentenceModel.class.getClassLoader();
    try (var weights = jar.getResourceAsStream("all-minilm-l6-v2-q.onnx");
         var tokenizer = jar.getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json");
         var options = new OrtSession.SessionOptions()) {
      if (weights == null || tokenizer == null) throw new IllegalStateException("the model's files are not in the jar");
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      return new OnnxBertBiEncoder(env, env.createSession(weights.readAllBytes(), options), tokenizer, PoolingMode.MEAN);
    } catch (java.io.IOException | OrtException e) {
      throw new IllegalStateException("could not load the sentence model", e);
    }
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
