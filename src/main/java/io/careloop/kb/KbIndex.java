package io.careloop.kb;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import io.careloop.meaning.Vectors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Full-text search over the knowledge base with Lucene: English analysis (stemming, stop words), BM25, the title and
 * the customer-phrased question weighted above the answer. Customers write in slang and with typos, so a query is
 * widened by a small synonym table and by fuzzy matches of its longer words, weighted below exact matches.
 *
 * <p>Each article also carries its sentence vectors ({@link ArticleVectors}) in HNSW vector fields, so a suggestion
 * finds articles by meaning as well as by words ({@link #candidates}), and a new article's question is compared with
 * the existing ones by meaning ({@link #nearestQuestions}). An article without vectors yet (stored before vectors
 * were, until the start-up back-fill reaches it) is found by its words alone.
 *
 * <p>The index lives in memory and is rebuilt from the database at start: the database is the truth, and the index
 * can never be stale across a restart. Writes block (call them off the event loop); searches take microseconds.
 */
public final class KbIndex implements AutoCloseable {
  static final Map<String, Float> FIELDS = Map.of("title", 3.0f, "question", 2.5f, "tags", 1.5f, "body", 1.0f);
  private static final float FUZZY_WEIGHT = 0.4f;
  private static final List<String> FUZZY_FIELDS = List.of("title", "question");
  private static final java.util.regex.Pattern LINKS = java.util.regex.Pattern.compile("https?://\\S+");
  private static final java.util.regex.Pattern HANDLES = java.util.regex.Pattern.compile("@\\w+");
  private static final java.util.regex.Pattern SYMBOLS = java.util.regex.Pattern.compile("[^\\p{L}\\p{N}\\s-]");
  private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

  /** Everyday words customers use for the product's words (both directions are looked up). */
  private static final Map<String, List<String>> SYNONYMS = Map.ofEntries(
    Map.entry("pw", List.of("password")), Map.entry("pwd", List.of("password")), Map.entry("passcode", List.of("password")),
    Map.entry("login", List.of("sign", "log")), Map.entry("signin", List.of("sign")), Map.entry("logon", List.of("sign")),
    Map.entry("bill", List.of("invoice", "billing")), Map.entry("receipt", List.of("invoice")), Map.entry("invoices", List.of("billing")),
    Map.entry("charged", List.of("billing", "refund")), Map.entry("money", List.of("refund")), Map.entry("refund", List.of("billing")),
    Map.entry("cancel", List.of("subscription", "delete")), Map.entry("unsubscribe", List.of("cancel", "subscription")),
    Map.entry("2fa", List.of("two-factor", "authentication")), Map.entry("mfa", List.of("two-factor", "authentication")),
    Map.entry("otp", List.of("two-factor", "code")), Map.entry("sso", List.of("single", "sign")),
    Map.entry("teammate", List.of("team", "member", "invite")), Map.entry("colleague", List.of("team", "invite")),
    Map.entry("coworker", List.of("team", "invite")), Map.entry("backup", List.of("restore")), Map.entry("restore", List.of("backup")),
    Map.entry("csv", List.of("export")), Map.entry("download", List.of("export")), Map.entry("api", List.of("key", "token")),
    Map.entry("token", List.of("api", "key")), Map.entry("slow", List.of("performance", "latency")),
    Map.entry("laggy", List.of("performance", "slow")), Map.entry("region", List.of("location", "data")),
    Map.entry("hacked", List.of("security", "compromised", "account")), Map.entry("plan", List.of("pricing", "upgrade")));

  /**
   * BM25 as if the knowledge base had at least {@link #CALIBRATED_ON} articles. A word's weight (IDF) falls with the
   * share of articles that have it, so in a knowledge base of two articles every word is common and even an exact
   * question scores under the suggestion floor, which was calibrated on a knowledge base of 20. Counting small ones as
   * 20 keeps a word's weight at what the calibration saw; from 20 articles on, BM25 is Lucene's own.
   */
  static final int CALIBRATED_ON = 20;
  private static final org.apache.lucene.search.similarities.BM25Similarity SIMILARITY = new org.apache.lucene.search.similarities.BM25Similarity() {
    @Override protected float idf(long docFreq, long docCount) {
      return super.idf(docFreq, Math.max(docCount, CALIBRATED_ON));
    }
  };

  public record Hit(String id, float score) {}

  /**
   * An article a suggestion query found, by its words, its meaning or both: {@code words} is its BM25 score (0 when
   * no word matched), {@code meaning} the cosine of its vector with the query's (NaN when either has none yet).
   */
  public record Candidate(String id, float words, double meaning) {
    public boolean hasMeaning() { return !Double.isNaN(meaning); }
  }

  /** An existing article's question and how close its meaning is to another question (cosine). */
  public record Near(String id, double cosine) {}

  static final String WHOLE = "vector";
  static final String QUESTION = "questionVector";
  private static final Query PUBLISHED = new TermQuery(new Term("status", "published"));

  private final Analyzer analyzer = new EnglishAnalyzer();
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final IndexWriter writer;
  private final SearcherManager searchers;

  public KbIndex() {
    try {
      writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setSimilarity(SIMILARITY));
      searchers = new SearcherManager(writer, new org.apache.lucene.search.SearcherFactory() {
        @Override public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader reader, org.apache.lucene.index.IndexReader previous) {
          IndexSearcher searcher = new IndexSearcher(reader);
          searcher.setSimilarity(SIMILARITY);
          return searcher;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An article as the index takes it, with its vectors or null when it has none yet. */
  public record Entry(Article article, ArticleVectors vectors) {}

  /** Adds or replaces the article, found by its words alone until it has vectors (blocking). */
  public void put(Article a) {
    put(a, null);
  }

  /** Adds or replaces the article (blocking). */
  public void put(Article a, ArticleVectors vectors) {
    putAll(List.of(new Entry(a, vectors)));
  }

  /**
   * Adds or replaces articles (blocking) and makes them searchable. The index lives in memory and is rebuilt from the
   * database at start, so it is refreshed, never committed. A large batch (the start-up rebuild) is merged into one
   * segment afterwards: a query visits every segment once per clause, and one article at a time leaves many.
   */
  public void putAll(Collection<Entry> articles) {
    try {
      for (Entry e : articles) writer.updateDocument(new Term("id", e.article().id()), document(e.article(), e.vectors()));
      if (articles.size() >= MERGE_FROM) writer.forceMerge(1);
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final int MERGE_FROM = 100;

  private static Document document(Article a, ArticleVectors vectors) {
    Document doc = new Document();
    // Unit vectors: the dot product is the cosine, the cheapest similarity HNSW has.
    if (vectors != null) {
      doc.add(new KnnFloatVectorField(WHOLE, vectors.whole(), VectorSimilarityFunction.DOT_PRODUCT));
      doc.add(new KnnFloatVectorField(QUESTION, vectors.question(), VectorSimilarityFunction.DOT_PRODUCT));
    }
    doc.add(new StringField("id", a.id(), Field.Store.YES));
    doc.add(new StringField("status", a.status(), Field.Store.NO));
    doc.add(new TextField("title", a.title(), Field.Store.NO));
    doc.add(new TextField("question", a.question(), Field.Store.NO));
    doc.add(new TextField("body", a.body(), Field.Store.NO));
    doc.add(new TextField("tags", String.join(" ", a.tags()) + " " + (a.product() == null ? "" : a.product()), Field.Store.NO));
    return doc;
  }

  /** Segments a query visits (the benchmark reports it). */
  public int segments() {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        return searcher.getIndexReader().leaves().size();
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ranked articles for free text; {@code publishedOnly} for customers and suggestions. */
  public List<Hit> search(String text, int limit, boolean publishedOnly) {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        Query query = query(text, publishedOnly, searcher);
        if (query == null) return List.of();
        // Exact hit counts are not needed for a top-N: counting only N lets block-max WAND skip non-competitive docs.
        TopDocs top = searcher.search(query, new TopScoreDocCollectorManager(limit, null, limit));
        List<Hit> hits = new ArrayList<>();
        for (ScoreDoc sd : top.scoreDocs) {
          hits.add(new Hit(searcher.storedFields().document(sd.doc).get("id"), sd.score));
        }
        return hits;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Published articles for a suggestion: the best {@code n} by words (the same BM25 query as {@link #search}) and the
   * best {@code n} by meaning (kNN over the articles' whole vectors), each with both of its scores, so the caller
   * can fuse them. {@code meaning} null: by words alone.
   */
  public List<Candidate> candidates(String text, float[] meaning, int n) {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        Map<Integer, Float> words = new HashMap<>();
        Query query = query(text, true, searcher);
        if (query != null) {
          for (ScoreDoc sd : searcher.search(query, new TopScoreDocCollectorManager(n, null, n)).scoreDocs) words.put(sd.doc, sd.score);
        }
        Map<Integer, Double> meanings = new HashMap<>();
        if (meaning != null) {
          // Lucene scores a dot product as (1 + dot) / 2: back to the cosine, which the floor is calibrated on.
          for (ScoreDoc sd : searcher.search(new KnnFloatVectorQuery(WHOLE, meaning, n, PUBLISHED), n).scoreDocs) meanings.put(sd.doc, 2.0 * sd.score - 1);
          // An article its words found but kNN did not rank still has a meaning score: read its vector.
          for (int doc : words.keySet()) if (!meanings.containsKey(doc)) meanings.put(doc, cosine(searcher, doc, meaning));
        }
        Set<Integer> docs = new LinkedHashSet<>(words.keySet());
        docs.addAll(meanings.keySet());
        List<Candidate> out = new ArrayList<>(docs.size());
        for (int doc : docs) {
          out.add(new Candidate(searcher.storedFields().document(doc).get("id"), words.getOrDefault(doc, 0f), meanings.getOrDefault(doc, Double.NaN)));
        }
        return out;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cosine of the article's whole vector with {@code meaning}, NaN when it has none yet. */
  private static double cosine(IndexSearcher searcher, int doc, float[] meaning) throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(WHOLE);
    int local = doc - leaf.docBase;
    if (values == null || values.advance(local) != local) return Double.NaN;
    return Vectors.cosine(values.vectorValue(), meaning);
  }

  /** The {@code n} articles (any status) whose question means closest to {@code question}, closest first. */
  public List<Near> nearestQuestions(float[] question, int n) {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        List<Near> out = new ArrayList<>();
        for (ScoreDoc sd : searcher.search(new KnnFloatVectorQuery(QUESTION, question, n), n).scoreDocs) {
          out.add(new Near(searcher.storedFields().document(sd.doc).get("id"), 2.0 * sd.score - 1));
        }
        return out;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bare baseline of the benchmark: one term on one field, nothing else. */
  public int termQueryCount(String field, String term) {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        return searcher.search(new TermQuery(new Term(field, term)), 5).scoreDocs.length;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The benchmark's second baseline: the mention's own words, analysed, as plain term queries on one field (what
   * Lucene does with a text and nothing of ours: no synonyms, no typo matching, no other fields or boosts).
   */
  public int bareWordsCount(String field, String text) {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String word : new LinkedHashSet<>(analyze(text))) any.add(new TermQuery(new Term(field, word)), BooleanClause.Occur.SHOULD);
        return searcher.search(any.build(), new TopScoreDocCollectorManager(3, null, 3)).scoreDocs.length;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Query query(String text, boolean publishedOnly, IndexSearcher searcher) throws IOException {
    Set<String> terms = new LinkedHashSet<>(analyze(expand(text)));
    if (terms.isEmpty()) return null;
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    for (String term : terms) {
      boolean known = false;
      for (var f : FIELDS.entrySet()) {
        Term t = new Term(f.getKey(), term);
        if (searcher.getIndexReader().docFreq(t) > 0) {
          known = true;
          any.add(new BoostQuery(new TermQuery(t), f.getValue()), BooleanClause.Occur.SHOULD);
        }
      }
      // Only a word the index does not know is a likely typo: fuzzy-match it against titles and questions.
      if (!known && term.length() >= 5) {
        for (String field : FUZZY_FIELDS) {
          any.add(new BoostQuery(new FuzzyQuery(new Term(field, term), 1, 2), FIELDS.get(field) * FUZZY_WEIGHT), BooleanClause.Occur.SHOULD);
        }
      }
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder().add(any.build(), BooleanClause.Occur.MUST);
    if (publishedOnly) q.add(new TermQuery(new Term("status", "published")), BooleanClause.Occur.FILTER);
    return q.build();
  }

  /** The words of a text as the index sees them: lower case, stop words out, stemmed. */
  public List<String> analyze(String text) {
    return io.careloop.text.Terms.of(analyzer, "body", text);
  }

  /** Words that say nothing of what a question is about, beyond the analyser's stop words. */
  private static final Set<String> QUESTION_WORDS = Set.of("how", "do", "doe", "did", "i", "i'm", "i'v", "my", "me", "can", "could",
    "what", "where", "why", "when", "which", "who", "your", "you", "get", "pleas", "would", "should", "ve", "m", "ll");

  /**
   * The words of {@code text} whose stems {@code other} does not have, as written (what the near-copy check embeds:
   * the part of a question that differs from another). Empty when {@code text} says nothing {@code other} does not.
   */
  public String wordsNotIn(String text, String other) {
    Set<String> theirs = new LinkedHashSet<>(analyze(other));
    StringBuilder out = new StringBuilder();
    for (String word : SPACES.split(SYMBOLS.matcher(text == null ? "" : text).replaceAll(" "))) {
      List<String> stems = analyze(word);
      if (stems.isEmpty() || QUESTION_WORDS.contains(stems.get(0)) || theirs.contains(stems.get(0))) continue;
      out.append(word).append(' ');
    }
    return out.toString().trim();
  }

  /** Customer text without handles and links, widened with synonyms. */
  static String expand(String text) {
    String lower = (text == null ? "" : text).toLowerCase(Locale.ROOT);
    String clean = SYMBOLS.matcher(HANDLES.matcher(LINKS.matcher(lower).replaceAll(" ")).replaceAll(" ")).replaceAll(" ");
    StringBuilder out = new StringBuilder(clean);
    for (String word : SPACES.split(clean)) {
      List<String> more = SYNONYMS.get(word);
      if (more != null) out.append(' ').append(String.join(" ", more));
    }
    return out.toString();
  }

  public void delete(String id) {
    try {
      writer.deleteDocuments(new Term("id", id));
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      searchers.close();
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
