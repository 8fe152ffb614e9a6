package io.careloop.reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A closed template language for text that staff write and CareLoop posts: plain text and {@code {{name}}} for a
 * fixed set of variable names (spaces allowed inside the braces), nothing else. It replaces Handlebars for canned
 * responses and the proactive tweet: full Handlebars lets whoever writes the template nest inline partials (output
 * grows exponentially with the template's length: 535 characters ran 20 s on an event loop), read classpath
 * partials and call helpers such as {@code i18n}. Here anything that looks like template syntax but is not one of
 * the variables is refused when the template is read, naming the token, and rendering is one pass of substitution:
 * values are inserted as text and never read again, so a customer name holding {@code {{agent.name}}} stays literal.
 * Time and output are linear in the template's length, bounded by {@link #MAX_SOURCE}, {@link #MAX_VALUE} and
 * {@link #MAX_OUTPUT}.
 */
public final class ClosedTemplate {
  /**
   * Longest template accepted. What it makes is one post (a reply or a tweet: 280 characters as X counts them), so a
   * thousand characters leave room for variables that shrink (a long placeholder, a short handle) while keeping every
   * render small.
   */
  public static final int MAX_SOURCE = 1_000;
  /** Longest value inserted (characters); longer ones are cut. X names are 50 and handles 15; links and user names are ours. */
  public static final int MAX_VALUE = 200;
  /** Longest rendered text (characters); the rest is cut. A post is far shorter, and the length check at send says so. */
  public static final int MAX_OUTPUT = 2_000;
  /** How much of a refused token the message quotes, so one bad template cannot make a huge error. */
  private static final int QUOTE = 60;

  /** A template that is not in the language, or too long; the message names the offending token. */
  public static final class Refused extends IllegalArgumentException {
    private final String token;

    Refused(String token, String message) {
      super(message, null);
      this.token = token;
    }

    /** The offending token as written (cut to a readable length), or null when the template is too long. */
    public String token() { return token; }
  }

  private record Part(String text, String variable) {}

  private final List<Part> parts;

  private ClosedTemplate(List<Part> parts) {
    this.parts = parts;
  }

  /** Reads {@code source}, which may use only {@code variables}; throws {@link Refused} naming the first bad token. */
  public static ClosedTemplate parse(String source, Set<String> variables) {
    if (source == null) throw new Refused(null, "the template is missing");
    if (source.length() > MAX_SOURCE) {
      throw new Refused(null, "the template is " + source.length() + " characters; at most " + MAX_SOURCE + " are allowed");
    }
    List<Part> parts = new ArrayList<>();
    int at = 0;
    while (at < source.length()) {
      int open = source.indexOf("{{", at);
      int stray = source.indexOf("}}", at);
      if (stray >= 0 && (open < 0 || stray < open)) {
        throw refuse(variables, "}}", "a closing }} without its {{");
      }
      if (open < 0) {
        parts.add(new Part(source.substring(at), null));
        break;
      }
      if (open > at) parts.add(new Part(source.substring(at, open), null));
      int close = source.indexOf("}}", open + 2);
      if (close < 0) throw refuse(variables, source.substring(open), "an opening {{ that is never closed");
      int end = close + 2;
      String inner = source.substring(open + 2, close);
      // {{{name}}}: the brace that ends a triple-stash belongs to the token, not to the text after it.
      if (inner.startsWith("{") && source.startsWith("}", end)) end++;
      String token = source.substring(open, end);
      if (inner.contains("{{")) throw refuse(variables, source.substring(open, source.indexOf("{{", open + 2) + 2), "an opening {{ inside another");
      String name = inner.replaceAll("^[ \\t]+|[ \\t]+$", "");
      if (!variables.contains(name)) throw refuse(variables, token, kind(name));
      parts.add(new Part(null, name));
      at = end;
    }
    return new ClosedTemplate(List.copyOf(parts));
  }

  /**
   * The text with each variable replaced by its value (missing: empty), each value cut at {@link #MAX_VALUE} and the
   * whole at {@link #MAX_OUTPUT}. Values are copied as they are: nothing in them is read as template.
   */
  public String render(Map<String, String> values) {
    StringBuilder out = new StringBuilder();
    for (Part p : parts) {
      String piece = p.variable() == null ? p.text() : cut(values.getOrDefault(p.variable(), ""), MAX_VALUE);
      if (out.length() + piece.length() >= MAX_OUTPUT) {
        out.append(cut(piece, MAX_OUTPUT - out.length()));
        break;
      }
      out.append(piece);
    }
    return out.toString();
  }

  /** The variables the template uses. */
  public Set<String> variables() {
    Set<String> used = new TreeSet<>();
    for (Part p : parts) if (p.variable() != null) used.add(p.variable());
    return used;
  }

  private static String kind(String name) {
    if (name.startsWith("#") || name.startsWith("^") || name.startsWith("/") || name.equals("else") || name.startsWith("else ")) return "a block";
    if (name.startsWith(">")) return "a partial";
    if (name.startsWith("!")) return "a comment";
    if (name.startsWith("{") || name.startsWith("&")) return "unescaped output";
    if (name.contains(" ") || name.contains("(") || name.contains("=")) return "a helper call";
    return name.isEmpty() ? "an empty variable" : "an unknown variable";
  }

  private static Refused refuse(Set<String> variables, String token, String what) {
    String quoted = token.length() > QUOTE ? token.substring(0, QUOTE) + "…" : token;
    StringBuilder allowed = new StringBuilder();
    for (String v : new TreeSet<>(variables)) allowed.append(allowed.length() == 0 ? "" : ", ").append("{{").append(v).append("}}");
    return new Refused(quoted, quoted + " is not allowed (" + what + "): templates hold plain text and only the variables "
      + allowed + ", nothing else");
  }

  /** At most {@code max} characters, never splitting a surrogate pair (an emoji). */
  private static String cut(String s, int max) {
    if (s.length() <= max) return s;
    if (max <= 0) return "";
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }
}
