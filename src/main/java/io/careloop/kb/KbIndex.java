package io.careloop.kb;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

  public record Hit(String id, float score) {}

  private final Analyzer analyzer = new EnglishAnalyzer();
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final IndexWriter writer;
  private final SearcherManager searchers;

  public KbIndex() {
    try {
      writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
      searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds or replaces the article (blocking). */
  public void put(Article a) {
    putAll(List.of(a));
  }

  /**
   * Adds or replaces articles (blocking) and makes them searchable. The index lives in memory and is rebuilt from the
   * database at start, so it is refreshed, never committed. A large batch (the start-up rebuild) is merged into one
   * segment afterwards: a query visits every segment once per clause, and one article at a time leaves many.
   */
  public void putAll(java.util.Collection<Article> articles) {
    try {
      for (Article a : articles) writer.updateDocument(new Term("id", a.id()), document(a));
      if (articles.size() >= MERGE_FROM) writer.forceMerge(1);
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final int MERGE_FROM = 100;

  private static Document document(Article a) {
    Document doc = new Document();
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
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("body", text == null ? "" : text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) out.add(term.toString());
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
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
