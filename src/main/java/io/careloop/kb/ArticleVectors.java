package io.careloop.kb;

import java.util.List;

/**
 * What an article means, as two sentence vectors of the shared model: {@code whole} reads the title, the question and
 * the steps (what a customer's words are matched against), {@code question} the title and question only (what a
 * near-copy is checked against: two articles answer the same question even when their steps differ).
 */
public record ArticleVectors(float[] whole, float[] question) {

  /** The text {@link #whole} is made of. */
  public static String wholeText(String title, String question, List<String> steps) {
    return questionText(title, question) + " " + String.join(" ", steps);
  }

  /** The text {@link #question} is made of. */
  public static String questionText(String title, String question) {
    return title + ". " + question;
  }
}
