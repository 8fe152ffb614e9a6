package io.careloop.cycle;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a customer asked, reduced to the words that say which question it is: lower case, handles, links, emoji and
 * punctuation gone, English stop words dropped, stems kept (Lucene's English analysis), and everyday words mapped to
 * one canonical word so that "pwd", "passcode" and "password" count as the same. Thread-safe.
 */
public final class QuestionText {
  private static final Pattern LINKS = Pattern.compile("https?://\\S+|www\\.\\S+");
  private static final Pattern HANDLES = Pattern.compile("@\\w+");
  /** Markup and template syntax in a tweet say nothing about the question (and are often an attack): dropped whole. */
  private static final Pattern MARKUP = Pattern.compile("(?is)<script\\b.*?</script\\s*>|<[^>]{0,500}>|\\{\\{.{0,200}?\\}\\}");
  private static final Pattern HASHTAG_SIGN = Pattern.compile("#(\\w)");
  /** Multi-word spellings of one thing, folded before the words are split. */
  private static final Map<Pattern, String> PHRASES = Map.of(
    Pattern.compile("\\b(two|2|multi)[ -]?(factor|step)( auth(entication)?)?\\b"), "2fa",
    Pattern.compile("\\b(log|sign)[ -]?(in|on)\\b"), "login",
    Pattern.compile("\\bauth(entication|enticate)?\\b"), "authentication");
  private static final Pattern NOT_WORDS = Pattern.compile("[^\\p{L}\\p{N}']+");

  /** Words customers use for the same thing; stems on both sides. Chosen for support questions, kept small on purpose. */
  private static final Map<String, String> CANONICAL = Map.ofEntries(
    Map.entry("pw", "password"), Map.entry("pwd", "password"), Map.entry("passcod", "password"), Map.entry("passwd", "password"),
    Map.entry("login", "log"), Map.entry("logon", "log"), Map.entry("signin", "log"), Map.entry("sign", "log"),
    Map.entry("bill", "invoic"), Map.entry("receipt", "invoic"), Map.entry("charg", "invoic"),
    Map.entry("unsubscrib", "cancel"), Map.entry("mfa", "2fa"), Map.entry("otp", "2fa"), Map.entry("authent", "2fa"),
    Map.entry("forgot", "forget"), Map.entry("forgotten", "forget"), Map.entry("lost", "forget"),
    Map.entry("teammat", "team"), Map.entry("colleagu", "team"), Map.entry("cowork", "team"),
    Map.entry("download", "export"), Map.entry("csv", "export"), Map.entry("slow", "perform"), Map.entry("laggi", "perform"),
    Map.entry("app", "app"), Map.entry("plan", "plan"), Map.entry("pricing", "plan"), Map.entry("price", "plan"),
    Map.entry("refund", "refund"), Map.entry("monei", "refund"));

  /**
   * Lucene's English stop words plus the words every support question has (pronouns, "how do I", "please", "help"),
   * which say nothing about which question it is.
   */
  private static final CharArraySet STOP_WORDS = stopWords();

  private static final Analyzer ANALYZER = new EnglishAnalyzer(STOP_WORDS);

  private static CharArraySet stopWords() {
    CharArraySet set = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
    set.addAll(List.of("i", "i'm", "im", "me", "my", "mine", "we", "our", "us", "you", "your", "yours", "it's", "its", "he", "she",
      "they", "them", "their", "how", "what", "whats", "what's", "where", "wheres", "where's", "when", "why", "who", "which",
      "do", "does", "did", "doing", "done", "can", "can't", "cant", "cannot", "could", "would", "should", "will", "won't", "am",
      "is", "are", "was", "were", "been", "be", "have", "has", "had", "don't", "dont", "doesn't", "isn't", "didn't", "get", "got",
      "please", "pls", "plz", "help", "hi", "hello", "hey", "thanks", "thank", "need", "want", "way", "there", "here", "any",
      "all", "some", "just", "still", "again", "also", "really", "so", "too", "very", "from", "about", "up", "out", "on", "off",
      "able", "anyone", "someone", "something", "anything", "know", "tell", "guys", "team's", "acme", "app's", "im", "ive", "i've",
      "never", "always", "impossible", "working", "work", "works", "not",
      // Conversational filler: says how the customer feels, not what they ask.
      "today", "now", "yet", "ever", "anymore", "asap", "urgent", "urgently", "ugh", "lol", "omg", "wtf", "seriously", "thx", "ty",
      "guys", "folks", "hmm", "ok", "okay", "yes", "no", "one", "else"));
    return set;
  }

  private QuestionText() {}

  /** The text as it could be shown without identifying anyone: handles and links removed, spaces tidied. */
  public static String withoutHandlesAndLinks(String text) {
    String t = LINKS.matcher(text == null ? "" : text).replaceAll(" ");
    t = HANDLES.matcher(t).replaceAll(" ");
    return t.replaceAll("\\s+", " ").trim();
  }

  /** The distinct canonical stems of the text, in order of first appearance. */
  public static Set<String> tokens(String text) {
    String t = MARKUP.matcher(withoutHandlesAndLinks(text)).replaceAll(" ").toLowerCase(java.util.Locale.ROOT);
    t = HASHTAG_SIGN.matcher(t).replaceAll("$1");
    for (var phrase : PHRASES.entrySet()) t = phrase.getKey().matcher(t).replaceAll(phrase.getValue());
    t = NOT_WORDS.matcher(t).replaceAll(" ");
    Set<String> out = new LinkedHashSet<>();
    try (TokenStream ts = ANALYZER.tokenStream("q", t)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        String stem = term.toString();
        if (stem.length() < 2 && !Character.isDigit(stem.charAt(0))) continue;
        out.add(CANONICAL.getOrDefault(stem, stem));
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
