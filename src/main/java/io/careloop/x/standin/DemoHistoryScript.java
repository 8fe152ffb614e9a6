package io.careloop.x.standin;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The demo brand's past month, as a script: who asked what and when, which article the agent linked (by title), how
 * soon the agent answered as a share of the case's target, and whether the customer said thanks afterwards. The same
 * seed gives the same month, so an interrupted seeding replays identical posts. Plain Java; {@code DemoHistory} plays
 * it through the real services.
 *
 * <p>The questions are the demo stream's seven, each asked in several wordings that share few words (the clusters are
 * by meaning), plus complaints the agents answer without an article. Password resets are asked most, and less often
 * after the post about them goes up (the cycle's effect).
 */
public final class DemoHistoryScript {
  /** A customer of the past month; a few have protected accounts (never quoted in public). */
  public record Customer(String id, String handle, String name, long followers, boolean isProtected) {}

  /** One customer post and what the care team did with it. */
  public record Asked(Instant at, Customer customer, String text, String articleTitle, String agent, double answeredAtShare,
                      String thanks) {}

  /** A question and the wordings customers use for it; {@code perDay} on a weekday. */
  record Question(String articleTitle, double perDay, List<String> wordings, String answer) {}

  public static final List<String> AGENTS = List.of("ana", "ben", "chloe");

  static final List<Question> QUESTIONS = List.of(
    new Question("Reset your password", 2.2, List.of(
      "how do I reset my password? The email never arrives",
      "forgot my password and the reset link isn't coming through",
      "locked out of my account, the password reset mail never shows up",
      "reset password email not arriving, checked spam too",
      "can't sign in and I don't remember my password, what do I do?",
      "is there a way to get a new password? the reset message is missing"),
      "Sorry about that! Choose Forgot password on the sign-in page; the email comes within minutes (check spam):"),
    new Question("Export invoices as CSV", 1.4, List.of(
      "is there a way to export all my invoices as CSV?",
      "my accountant needs all of last year's invoices in one file",
      "how do I download my billing history?",
      "can I get my invoices as a spreadsheet?",
      "where can I export receipts for my expense report?"),
      "Yes: Billing > Invoices > Export, then pick CSV. Steps here:"),
    new Question("Invite a teammate to your workspace", 1.1, List.of(
      "how can I add a teammate to my workspace?",
      "how do I invite a colleague to our account?",
      "want to give my coworker access to our projects",
      "we hired someone new, where is the invite option?"),
      "Settings > Members > Invite, and enter their email. Here's the guide:"),
    new Question("Set up single sign-on with Okta or Azure AD", 0.8, List.of(
      "how do I set up SSO with Okta?",
      "does your product support SAML single sign-on?",
      "we want our staff to log in with Azure AD",
      "setting up the Okta integration, where do I upload the metadata?"),
      "Security > Single sign-on, upload your IdP's SAML metadata and test with one user first:"),
    new Question("Find or rotate your API key", 0.7, List.of(
      "where do I find my API key?",
      "I leaked my API token on GitHub, how do I rotate it?",
      "need a developer key for your API",
      "where are the API credentials in settings?"),
      "Settings > Developers; you can rotate it there too if it leaked:"),
    new Question("Daily backups and restoring files", 0.8, List.of(
      "does the free plan include daily backups?",
      "how do I restore yesterday's version of a file?",
      "deleted a folder by mistake, can I get it back from a backup?",
      "how long do you keep backups?"),
      "Every plan keeps 30 days of daily backups; open Backups, pick the date, Restore:"),
    new Question("Change where your data is stored", 0.4, List.of(
      "can I change the region of my storage bucket?",
      "we need our data stored in the EU, can we move it?",
      "how do I migrate a bucket to another region?"),
      "Yes, from the bucket settings: Region, then start a migration. Files stay available:"),
    new Question(null, 0.9, List.of(
      "your dashboard has been down for 20 minutes, this is unacceptable",
      "I was charged twice this month. Need a refund please",
      "uploads are not working on the mobile app",
      "still waiting on my support ticket, three days now",
      "the app is so slow today, pages take ages to load"),
      "Sorry for the trouble. I've looked into it and sent you the details by DM, we'll keep you posted here."));

  private static final String[] FIRST = {"Dana", "Marco", "Priya", "Sam", "Li", "Noor", "Jo", "Olga", "Tom", "Aisha", "Ravi", "Emma",
    "Kenji", "Lucia", "Omar", "Hana", "Felix", "Zoe", "Ivan", "Mei", "Pablo", "Sara", "Yusuf", "Nina", "Arjun", "Ines", "Theo", "Maya",
    "Kofi", "Lena", "Diego", "Anya", "Ben", "Rosa", "Leo", "Fatima", "Max", "Clara", "Hugo", "Amara"};
  private static final String[] LAST = {"Whitfield", "Rossi", "Kapoor", "Nguyen", "Haddad", "Petrova", "Okafor", "Schmidt", "Silva",
    "Tanaka", "Moreau", "Larsen"};
  private static final String[] THANKS = {"thanks, that worked!", "perfect, sorted now, thank you", "that did it, cheers 🙌",
    "great, thanks for the quick answer"};

  private DemoHistoryScript() {}

  /** Forty customers, ids apart from the demo stream's; every tenth is protected. */
  public static List<Customer> customers() {
    List<Customer> out = new ArrayList<>();
    for (int i = 0; i < FIRST.length; i++) {
      String first = FIRST[i];
      String last = LAST[i % LAST.length];
      String handle = (first + "_" + last.charAt(0) + (i % 3 == 0 ? "_" + (10 + i) : "")).toLowerCase(java.util.Locale.ROOT);
      out.add(new Customer(String.valueOf(3000 + i), handle, first + " " + last, 50L + (i * 7919L) % 20_000, i % 10 == 9));
    }
    return out;
  }

  /**
   * The posts of the {@code days} whole days before {@code today}, oldest first. {@code publishedOn} is the day the
   * post on password resets goes up: that question is asked half as often afterwards.
   */
  public static List<Asked> month(LocalDate today, int days, LocalDate publishedOn, long seed) {
    Random random = new Random(seed);
    List<Customer> customers = customers();
    List<Asked> out = new ArrayList<>();
    for (int d = days; d >= 1; d--) {
      LocalDate day = today.minusDays(d);
      boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
      for (Question q : QUESTIONS) {
        double rate = q.perDay() * (weekend ? 0.5 : 1.0);
        if ("Reset your password".equals(q.articleTitle()) && !day.isBefore(publishedOn)) rate *= 0.5;
        int n = poisson(random, rate);
        for (int i = 0; i < n; i++) out.add(asked(random, day, q, customers));
      }
    }
    out.sort(Comparator.comparing(Asked::at));
    return out;
  }

  private static Asked asked(Random random, LocalDate day, Question q, List<Customer> customers) {
    // Most posts in the working day, some in the evening and at night.
    int minute = random.nextDouble() < 0.75 ? 8 * 60 + random.nextInt(10 * 60) : random.nextInt(24 * 60);
    Instant at = day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofMinutes(minute)).plusSeconds(random.nextInt(60));
    Customer c = customers.get(random.nextInt(customers.size()));
    String text = "@%s " + q.wordings().get(random.nextInt(q.wordings().size()));
    // Nine in ten within target (at 10% to 90% of it), the rest late: a few breaches a week.
    double share = random.nextDouble() < 0.9 ? 0.1 + 0.8 * random.nextDouble() : 1.1 + 1.5 * random.nextDouble();
    String agent = AGENTS.get(random.nextInt(AGENTS.size()));
    String thanks = q.articleTitle() != null && random.nextDouble() < 0.3 ? THANKS[random.nextInt(THANKS.length)] : null;
    return new Asked(at, c, text, q.articleTitle(), agent, share, thanks);
  }

  /** What the agent writes before the link: greeting, answer, signature (the draft must clean it). */
  public static String reply(Asked a, String link) {
    String answer = QUESTIONS.stream().filter(q -> java.util.Objects.equals(q.articleTitle(), a.articleTitle())).findFirst()
      .map(Question::answer).orElse("Thanks for reaching out!");
    String first = a.customer().name().split(" ")[0];
    String sign = "^" + a.agent().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + a.agent().substring(1, 2).toUpperCase(java.util.Locale.ROOT);
    return "Hi " + first + ", " + answer + (link == null ? "" : " " + link) + " " + sign;
  }

  private static int poisson(Random random, double mean) {
    double l = Math.exp(-mean);
    int k = 0;
    double p = 1;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }
}
