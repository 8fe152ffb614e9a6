package io.careloop.x.standin;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("The demo's past month, as a script")
class DemoHistoryScriptTest {
  static final LocalDate TODAY = LocalDate.of(2026, 12, 2);
  static final LocalDate PUBLISHED = TODAY.minusDays(10);

  @Test
  @DisplayName("the same seed gives the same month, inside the 30 days before today, oldest first")
  void sameSeedSameMonth() {
    var a = DemoHistoryScript.month(TODAY, 30, PUBLISHED, 7);
    assertEquals(a, DemoHistoryScript.month(TODAY, 30, PUBLISHED, 7), "an interrupted seeding replays identical posts");
    assertNotEquals(a, DemoHistoryScript.month(TODAY, 30, PUBLISHED, 8));
    var first = TODAY.minusDays(30).atStartOfDay(ZoneOffset.UTC).toInstant();
    var end = TODAY.atStartOfDay(ZoneOffset.UTC).toInstant();
    assertTrue(a.stream().allMatch(x -> !x.at().isBefore(first) && x.at().isBefore(end)));
    for (int i = 1; i < a.size(); i++) assertFalse(a.get(i).at().isBefore(a.get(i - 1).at()));
    Set<LocalDate> days = a.stream().map(x -> LocalDate.ofInstant(x.at(), ZoneOffset.UTC)).collect(Collectors.toSet());
    assertTrue(days.size() >= 25, "posts on most days: " + days.size());
  }

  @Test
  @DisplayName("most answers come within target and some late; every question is an article's but the complaints")
  void answersAndArticles() {
    var month = DemoHistoryScript.month(TODAY, 30, PUBLISHED, 20_261_201L);
    long late = month.stream().filter(x -> x.answeredAtShare() > 1).count();
    assertTrue(late > 5 && late < month.size() / 5, late + " late of " + month.size());
    assertTrue(month.stream().allMatch(x -> x.answeredAtShare() > 0 && DemoHistoryScript.AGENTS.contains(x.agent())));
    Set<String> titles = month.stream().map(DemoHistoryScript.Asked::articleTitle).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
    assertEquals(7, titles.size(), "the seven demo articles: " + titles);
    assertTrue(month.stream().anyMatch(x -> x.articleTitle() == null), "complaints without an article");
    assertTrue(month.stream().allMatch(x -> x.text().startsWith("@%s ")), "each post mentions the brand");
  }

  @Test
  @DisplayName("password resets are asked less often after the post about them goes up")
  void fewerAfterThePost() {
    var month = DemoHistoryScript.month(TODAY, 30, PUBLISHED, 20_261_201L);
    List<DemoHistoryScript.Asked> password = month.stream().filter(x -> "Reset your password".equals(x.articleTitle())).toList();
    var cut = PUBLISHED.atStartOfDay(ZoneOffset.UTC).toInstant();
    double before = password.stream().filter(x -> x.at().isBefore(cut)).count() / 20.0;
    double after = password.stream().filter(x -> !x.at().isBefore(cut)).count() / 10.0;
    assertTrue(after < before, "per day before " + before + ", after " + after);
  }

  @Test
  @DisplayName("the agent's reply has the greeting, answer, link and sign-off a draft must clean, and fits a post")
  void replyText() {
    var a = DemoHistoryScript.month(TODAY, 30, PUBLISHED, 3).get(0);
    String reply = DemoHistoryScript.reply(a, "http://localhost:8080/l/abcdefgh");
    assertTrue(reply.startsWith("Hi " + a.customer().name().split(" ")[0] + ", "), reply);
    assertTrue(reply.contains("/l/abcdefgh") && reply.matches(".* \\^[A-Z]{2}$"), reply);
    assertTrue(io.careloop.reply.ReplyLength.of(reply).valid(), reply);
    assertEquals(40, DemoHistoryScript.customers().size());
    assertTrue(DemoHistoryScript.customers().stream().anyMatch(DemoHistoryScript.Customer::isProtected));
    assertEquals(40, DemoHistoryScript.customers().stream().map(DemoHistoryScript.Customer::handle).distinct().count());
  }
}
