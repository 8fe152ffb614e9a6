package io.careloop.queue;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Full-text search and filters over every case, open and closed, with Lucene: the embedded database has no
 * {@code $text} and scans a collection for any query but by {@code _id}, so an agent looking for one case among a
 * hundred thousand would wait on a scan. Words (the case's text and messages, notes, tags, the customer's handle and
 * name) are analysed in English like the knowledge base; the last word of a query also matches as a prefix, so
 * results appear while typing. Filters are exact terms (state, priority, assignee, tag, brand, source) and a range of
 * creation times. Results come newest first, or by relevance when there are words; the page cursor is the sort
 * values of the last hit, so paging survives changes to the index in between.
 *
 * <p>Plain Java, no Vert.x: the index lives in memory and {@link CaseSearch} rebuilds it from the database at start
 * and keeps it current. Writes and searches block (call them off the event loop).
 */
public final class CaseIndex implements AutoCloseable {
  static final String ID = "id";
  static final String CREATED = "created";
  private static final String WORDS = "words";
  private static final String WHO = "who";
  private static final String TAGS = "tags";
  private static final float WHO_BOOST = 3f;
  private static final float TAGS_BOOST = 2f;

  /** What a search asks for: words (null for none) and filters (null or empty for any). Times are epoch millis, {@code to} exclusive. */
  public record Query(String words, List<CaseState> states, List<Priority> priorities, String assignee, boolean unassigned,
                      String tag, String brand, String source, Long from, Long to) {}

  /** One page: case ids in order, the cursor of the next page (null on the last), and how many match in all. */
  public record Page(List<String> ids, String next, long total) {}

  private final Analyzer analyzer = new EnglishAnalyzer();
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final IndexWriter writer;
  private final SearcherManager searchers;

  public CaseIndex() {
    try {
      writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
      searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds or replaces the cases and makes them searchable (blocking). */
  public void putAll(Collection<Case> cases) {
    try {
      for (Case c : cases) writer.updateDocument(new Term(ID, c.id()), document(c));
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Merges the index into one segment (after the start-up build: a query visits every segment once per clause).
   * Once, at the end: merging after every batch rewrote the growing index each time (34 s for 100,000 cases).
   */
  public void merge() {
    try {
      writer.forceMerge(1);
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void put(Case c) {
    putAll(List.of(c));
  }

  public void delete(String id) {
    try {
      writer.deleteDocuments(new Term(ID, id));
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cases in the index. */
  public int size() {
    return writer.getDocStats().numDocs;
  }

  /** Bytes the index holds in memory (the benchmark reports it). */
  public long bytes() {
    try {
      long sum = 0;
      for (String file : directory.listAll()) sum += directory.fileLength(file);
      return sum;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Document document(Case c) {
    Document doc = new Document();
    doc.add(new StringField(ID, c.id(), Field.Store.YES));
    doc.add(new SortedDocValuesField(ID, new BytesRef(c.id())));
    long created = c.createdAt() == null ? 0 : c.createdAt().toEpochMilli();
    doc.add(new LongPoint(CREATED, created));
    doc.add(new NumericDocValuesField(CREATED, created));
    doc.add(new StringField("state", c.state().wire(), Field.Store.NO));
    doc.add(new StringField("priority", c.priority().name(), Field.Store.NO));
    if (c.assignee() != null) doc.add(new StringField("assignee", c.assignee().toLowerCase(Locale.ROOT), Field.Store.NO));
    else doc.add(new StringField("assignee", "", Field.Store.NO));
    if (c.brand() != null) doc.add(new StringField("brand", c.brand().toLowerCase(Locale.ROOT), Field.Store.NO));
    if (c.sourceId() != null) doc.add(new StringField("source", c.sourceId(), Field.Store.NO));
    StringBuilder words = new StringBuilder(c.text() == null ? "" : c.text());
    for (Case.Message m : c.messages()) if (m.text() != null && !m.text().equals(c.text())) words.append('\n').append(m.text());
    for (Case.Note n : c.notes()) words.append('\n').append(n.text());
    doc.add(new TextField(WORDS, words.toString(), Field.Store.NO));
    Case.Customer who = c.customer();
    if (who != null) {
      // The handle without its @ as well: the analyser keeps "@ana_m" as "ana_m" either way, and people type both.
      String handle = who.handle() == null ? "" : who.handle().replace("@", "");
      doc.add(new TextField(WHO, handle + " " + handle.replace('_', ' ') + " " + (who.name() == null ? "" : who.name()), Field.Store.NO));
    }
    for (String tag : c.tags()) doc.add(new StringField("tag", tag.toLowerCase(Locale.ROOT), Field.Store.NO));
    doc.add(new TextField(TAGS, String.join(" ", c.tags()), Field.Store.NO));
    return doc;
  }

  /** A page of matches after {@code cursor} (null for the first). */
  public Page search(Query q, int limit, String cursor) {
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        org.apache.lucene.search.Query words = words(q.words());
        boolean ranked = words != null;
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        all.add(ranked ? words : new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
        filters(q).forEach(f -> all.add(f, BooleanClause.Occur.FILTER));
        Sort sort = ranked
          ? new Sort(SortField.FIELD_SCORE, new SortField(CREATED, SortField.Type.LONG, true), new SortField(ID, SortField.Type.STRING, true))
          : new Sort(new SortField(CREATED, SortField.Type.LONG, true), new SortField(ID, SortField.Type.STRING, true));
        // The last hit's own values: every later hit sorts after them (ids are unique). The doc number breaks ties only
        // between equal values, which only that same case has: the highest number leaves it out.
        FieldDoc after = cursor == null ? null : Cursors.after(cursor, ranked, Math.max(0, searcher.getIndexReader().maxDoc() - 1));
        TopFieldDocs top = searcher.searchAfter(after, all.build(), limit + 1, sort, ranked);
        List<String> ids = new ArrayList<>();
        ScoreDoc last = null;
        for (int i = 0; i < Math.min(limit, top.scoreDocs.length); i++) {
          ScoreDoc sd = top.scoreDocs[i];
          ids.add(searcher.storedFields().document(sd.doc).get(ID));
          last = sd;
        }
        String next = top.scoreDocs.length > limit ? Cursors.of((FieldDoc) last, ranked) : null;
        return new Page(ids, next, top.totalHits.value);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<org.apache.lucene.search.Query> filters(Query q) {
    List<org.apache.lucene.search.Query> out = new ArrayList<>();
    if (q.states() != null && !q.states().isEmpty()) out.add(anyOf("state", q.states().stream().map(CaseState::wire).toList()));
    if (q.priorities() != null && !q.priorities().isEmpty()) out.add(anyOf("priority", q.priorities().stream().map(Priority::name).toList()));
    if (q.unassigned()) out.add(new TermQuery(new Term("assignee", "")));
    else if (q.assignee() != null) out.add(new TermQuery(new Term("assignee", q.assignee().toLowerCase(Locale.ROOT))));
    if (q.tag() != null) out.add(new TermQuery(new Term("tag", q.tag().toLowerCase(Locale.ROOT))));
    if (q.brand() != null) out.add(new TermQuery(new Term("brand", q.brand().toLowerCase(Locale.ROOT))));
    if (q.source() != null) out.add(new TermQuery(new Term("source", q.source())));
    if (q.from() != null || q.to() != null) {
      out.add(LongPoint.newRangeQuery(CREATED, q.from() == null ? Long.MIN_VALUE : q.from(), q.to() == null ? Long.MAX_VALUE : q.to() - 1));
    }
    return out;
  }

  private static org.apache.lucene.search.Query anyOf(String field, List<String> values) {
    BooleanQuery.Builder any = new BooleanQuery.Builder();
    values.forEach(v -> any.add(new TermQuery(new Term(field, v)), BooleanClause.Occur.SHOULD));
    return any.build();
  }

  /**
   * Every word must match somewhere (the case's words, the customer, the tags): an agent narrows by typing more. The
   * last word, as typed, also matches as a prefix of a word, so "refu" finds "refund" before the word is finished.
   */
  org.apache.lucene.search.Query words(String text) {
    if (text == null || text.isBlank()) return null;
    String[] typed = text.trim().toLowerCase(Locale.ROOT).replace("@", " ").split("\\s+");
    BooleanQuery.Builder every = new BooleanQuery.Builder();
    int clauses = 0;
    for (int i = 0; i < typed.length; i++) {
      boolean lastWord = i == typed.length - 1;
      BooleanQuery.Builder anywhere = new BooleanQuery.Builder();
      int found = 0;
      for (String field : List.of(WORDS, WHO, TAGS)) {
        float boost = field.equals(WHO) ? WHO_BOOST : field.equals(TAGS) ? TAGS_BOOST : 1f;
        for (String term : analyze(field, typed[i])) {
          anywhere.add(new BoostQuery(new TermQuery(new Term(field, term)), boost), BooleanClause.Occur.SHOULD);
          found++;
        }
        String bare = typed[i].replaceAll("[^\\p{L}\\p{N}_]", "");
        if (lastWord && bare.length() >= 2) {
          anywhere.add(new BoostQuery(new PrefixQuery(new Term(field, bare)), boost * 0.5f), BooleanClause.Occur.SHOULD);
          found++;
        }
      }
      // A stop word alone ("the", "is") narrows nothing: it is left out rather than matching no case.
      if (found == 0) continue;
      every.add(anywhere.build(), BooleanClause.Occur.MUST);
      clauses++;
    }
    return clauses == 0 ? null : every.build();
  }

  private List<String> analyze(String field, String text) {
    return io.careloop.text.Terms.of(analyzer, field, text);
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

  /** Page cursors: the last hit's sort values, as text ({@code score~created~id} or {@code created~id}). */
  static final class Cursors {
    private Cursors() {}

    static String of(FieldDoc last, boolean ranked) {
      Object[] f = last.fields;
      String id = ((BytesRef) f[ranked ? 2 : 1]).utf8ToString();
      String created = String.valueOf(f[ranked ? 1 : 0]);
      String raw = ranked ? Float.floatToIntBits((Float) f[0]) + "~" + created + "~" + id : created + "~" + id;
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The cursor's sort values; an {@link IllegalArgumentException} when it is not one of ours. */
    static FieldDoc after(String cursor, boolean ranked, int lastDoc) {
      String raw = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
      String[] p = raw.split("~", ranked ? 3 : 2);
      if (p.length != (ranked ? 3 : 2)) throw new IllegalArgumentException("not a search cursor");
      if (ranked) {
        float score = Float.intBitsToFloat(Integer.parseInt(p[0]));
        return new FieldDoc(lastDoc, score, new Object[] {score, Long.parseLong(p[1]), new BytesRef(p[2])});
      }
      return new FieldDoc(lastDoc, Float.NaN, new Object[] {Long.parseLong(p[0]), new BytesRef(p[1])});
    }
  }
}
