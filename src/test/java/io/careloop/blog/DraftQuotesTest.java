package io.careloop.blog;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("A draft quotes different customers saying the question in different words")
class DraftQuotesTest {
  static Draft.Member member(String handle, String text, float... v) {
    return new Draft.Member("t-" + handle, handle, handle + " Name", text, false, v.length == 0 ? null : v);
  }

  static List<String> quoted(List<Draft.Member> members) {
    return DraftQuotes.pick(members, false).stream().map(Draft.Quote::by).toList();
  }

  @Test
  @DisplayName("Two sentences a cosine of 0.9 apart are one quote, even in different words")
  void nearRepeatByMeaning() {
    assertEquals(List.of("@a", "@c"), quoted(List.of(
      member("a", "@Acme how do I reset my password?", 1, 0, 0),
      member("b", "@Acme what's the way to reset my pw", 0.95f, 0.31f, 0),
      member("c", "@Acme the reset email never arrives", 0.6f, 0, 0.8f))));
  }

  @Test
  @DisplayName("The most central asking comes first, then the one least like it")
  void centralThenDifferent() {
    assertEquals(List.of("@b", "@c", "@a"), quoted(List.of(
      member("a", "@Acme forgot my password", 0.3f, 0.95f, 0),
      member("b", "@Acme how do I reset my password?", 0.8f, 0.6f, 0),
      member("c", "@Acme reset link expired before I clicked it", 0.8f, 0, 0.6f))));
  }

  @Test
  @DisplayName("Without vectors, the same words once and one quote per customer")
  void byWordsAndCustomers() {
    assertEquals(List.of("@a", "@c"), quoted(List.of(
      member("a", "@Acme how do I export my data to CSV?"),
      member("a", "@Acme can I download reports as a spreadsheet?"),
      member("b", "@Acme HOW DO I EXPORT MY DATA TO CSV!!"),
      member("c", "@Acme export to csv fails on the reports page"))));
  }

  @Test
  @DisplayName("Protected accounts, emoji and words that ask nothing are never quoted")
  void neverQuoted() {
    assertEquals(List.of(), quoted(List.of(
      new Draft.Member("t1", "p", "P", "@Acme how do I reset my password?", true, null),
      member("e", "@Acme 🙏🙏"),
      member("h", "@Acme help?"))));
  }

  @Test
  @DisplayName("Text that names no question is quoted as written, but only after the askings")
  void markupLast() {
    assertEquals(List.of("@a", "@m"), quoted(List.of(
      member("m", "@Acme <img src=x onerror=alert(1)> <a href=x>x</a>"),
      member("a", "@Acme how do I reset my password?"))));
  }
}
