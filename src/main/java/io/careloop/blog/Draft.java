package io.careloop.blog;

import com.github.jknack.handlebars.Template;
import io.careloop.kb.Article;
import io.careloop.text.Templates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What promoting a cluster drafts: a title phrased as the customers' question, a short intro, the answer, the KB link
 * and a few customers' words. Plain Java over the cluster's members; {@link BlogService} stores the result.
 *
 * <p>The KB article is the answer's source of truth: its steps are the answer and its public page the link. The
 * agent's reply is only evidence that the question was answered, used (cleaned by {@link ReplyText}) when the cluster
 * has no article. The body is plain text: the template is compiled without escaping and every value goes in as data,
 * so customer text that looks like markup or {@code {{template}}} syntax stays literal, escaped where it is shown.
 *
 * @param question the customers' question as asked (cleaned), stored with the post
 */
public record Draft(String title, String question, String body, List<Quote> quotes) {
  static final String FALLBACK_TITLE = "A question our customers ask";
  /** Said in place of an answer when neither an article nor the reply gave one, so the draft cannot go out as if it had. */
  static final String NO_ANSWER = "[Write the answer here: this cluster has no KB article and its reply had no text to reuse.]";
  private static final Template TEMPLATE = Templates.compile(Templates.plainText(), "blog/draft");

  /** One asking in the cluster. {@code vector} is its question's stored sentence vector, or null. */
  public record Member(String tweetId, String handle, String name, String text, boolean isProtected, float[] vector) {}

  /** A customer's words as the post shows them: {@code handle} and {@code tweetId} only when not anonymised. */
  public record Quote(String text, String by, String handle, String tweetId) {}

  /**
   * What a draft is made from.
   *
   * @param question  the cluster's representative question (a customer's words)
   * @param members   its askings, newest first
   * @param reply     the answer an agent gave, or null
   * @param article   the KB article the answers linked, or null
   * @param publicUrl where the public pages live (no trailing slash)
   */
  public record Source(String question, List<Member> members, String reply, Article article, boolean anonymise, String publicUrl) {}

  public static Draft of(Source s) {
    Article a = s.article();
    String question = QuestionTitle.cleaned(s.question());
    String title = title(s, a);
    List<String> steps = a == null ? List.of() : steps(a);
    String answer = steps.isEmpty() ? answer(s) : numbered(steps);
    String kbUrl = a != null && a.published() && a.slug() != null ? s.publicUrl() + "/kb/" + a.slug() : null;

    Map<String, Object> context = new HashMap<>();
    context.put("intro", intro(title, !steps.isEmpty()));
    context.put("answer", answer);
    context.put("kbUrl", kbUrl);
    String body;
    try {
      body = TEMPLATE.apply(context);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    body = body.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    String keep = kbUrl;
    return new Draft(scrub(title, s.members(), s.anonymise(), keep), scrub(question.isEmpty() ? title : question, s.members(), s.anonymise(), keep),
      scrub(body, s.members(), s.anonymise(), keep), DraftQuotes.pick(s.members(), s.anonymise()));
  }

  /** The article's question (written for customers), else the customers' own words, else a neutral heading. */
  private static String title(Source s, Article a) {
    List<String> candidates = new ArrayList<>();
    if (a != null) candidates.add(a.question());
    candidates.add(s.question());
    for (Member m : s.members()) if (!m.isProtected()) candidates.add(m.text());
    if (a != null) candidates.add(a.title());
    for (String c : candidates) {
      var t = QuestionTitle.of(c);
      if (t.isPresent()) return t.get();
    }
    return FALLBACK_TITLE;
  }

  private static String intro(String title, boolean steps) {
    String lead = title.endsWith("?") ? "This is one of the questions our customers ask us most often on X."
      : "This comes up often when our customers write to us on X.";
    return lead + (steps ? " Here is the answer, step by step." : " Here is what we tell them.");
  }

  private static List<String> steps(Article a) {
    List<String> out = new ArrayList<>();
    for (String step : a.steps() == null ? List.<String>of() : a.steps()) {
      String t = ReplyText.withoutControls(step).replaceAll("\\s+", " ").strip();
      if (ReplyText.hasWords(t)) out.add(t);
    }
    return out;
  }

  private static String numbered(List<String> steps) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) lines.add((i + 1) + ". " + steps.get(i));
    return String.join("\n", lines);
  }

  private static String answer(Source s) {
    List<String> names = new ArrayList<>();
    for (Member m : s.members()) {
      if (m.handle() != null) names.add(m.handle());
      if (m.name() != null) names.add(m.name());
    }
    String cleaned = ReplyText.clean(s.reply(), names);
    return cleaned.isEmpty() ? NO_ANSWER : cleaned;
  }

  /**
   * When anonymising, every asking customer's handle and name leave the text too, not only the quotes. Links under
   * {@code keep} (our own public pages) are left whole: the anonymiser would otherwise take them for a customer's link.
   */
  static String scrub(String text, List<Member> members, boolean anonymise, String keep) {
    if (!anonymise || text == null) return text;
    List<String> kept = new ArrayList<>();
    String t = text;
    if (keep != null && !keep.isEmpty()) {
      Matcher m = Pattern.compile(Pattern.quote(keep) + "\\S*").matcher(t);
      StringBuilder sb = new StringBuilder();
      while (m.find()) {
        kept.add(m.group());
        m.appendReplacement(sb, "\uE000");
      }
      t = m.appendTail(sb).toString();
    }
    for (Member m : members) t = Anonymiser.text(t, m.handle(), m.name());
    for (String link : kept) t = t.replaceFirst("\uE000", Matcher.quoteReplacement(link));
    return t;
  }
}
