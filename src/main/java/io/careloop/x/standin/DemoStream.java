package io.careloop.x.standin;

import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A realistic trickle of posts for the demo brand: questions, complaints, praise, chatter, keyword mentions without
 * the @handle, the brand's own posts, retweets, customers answering the brand's replies, and hostile text (markup,
 * template syntax, direction overrides), so a newcomer sees every path of the loop within a minute.
 */
public final class DemoStream {
  private record Customer(String id, String handle, String name, long followers) {}

  private static final List<Customer> CUSTOMERS = List.of(
    new Customer("2001", "dana_builds", "Dana Whitfield", 812),
    new Customer("2002", "marco_ops", "Marco Rossi", 15_400),
    new Customer("2003", "priya_k", "Priya K.", 240),
    new Customer("2004", "sam_devlog", "Sam <Dev> Log", 3_100),
    new Customer("2005", "li_wei", "李伟", 96),
    new Customer("2006", "noor_cloud", "Noor Haddad", 128_000),
    new Customer("2007", "jt_smalls", "JT", 44),
    new Customer("2008", "ops_olga", "Olga Petrova", 2_050));

  private static final List<String> QUESTIONS = List.of(
    "@%s how do I reset my password? The email never arrives",
    "@%s is there a way to export all my invoices as CSV?",
    "@%s how can I add a teammate to my workspace?",
    "@%s does the free plan include daily backups?",
    "@%s what's the difference between the Pro and Team plans?",
    "@%s can I change the region of my storage bucket?",
    "@%s how do I set up SSO with Okta?",
    "@%s where do I find my API key?");
  private static final List<String> COMPLAINTS = List.of(
    "@%s your dashboard has been down for 20 minutes, this is unacceptable",
    "@%s I was charged twice this month. Need a refund please",
    "@%s backups failing with error 503 since this morning",
    "@%s still waiting on support ticket #4821, three days now",
    "@%s uploads are not working on the mobile app");
  private static final List<String> URGENT = List.of(
    "@%s I think my account was hacked, there are logins from places I've never been",
    "@%s got a phishing email pretending to be you asking for my card details");
  private static final List<String> PRAISE = List.of(
    "Loving the new backup feature from @%s, saved my weekend",
    "@%s thanks for the quick fix yesterday 🙌",
    "Shoutout to @%s support, best in the business");
  private static final List<String> KEYWORD = List.of(
    "anyone know if acme cloud supports SSO with Azure AD?",
    "acme cloud pricing page is confusing, which plan has audit logs?",
    "switched to acme cloud last month, migration was painless");
  private static final List<String> HOSTILE = List.of(
    "@%s <img src=x onerror=alert('xss')> why does my invoice show this?",
    "@%s <script>alert(document.cookie)</script> is my data safe?",
    "@%s {{customer.handle}} {{7*7}} my name renders weird in emails",
    "@%s \u202Egnirts desrever\u202C help, my file names are broken");
  private static final List<String> FOLLOW_UPS = List.of(
    "@%s thanks, that worked!",
    "@%s still not working after trying that :(",
    "@%s ok but how long will it take?");
  private static final List<String> BRAND_POSTS = List.of(
    "We're rolling out faster backups to all regions this week 🚀",
    "Scheduled maintenance tonight 02:00-03:00 UTC. Uploads may be slower.");

  private final Vertx vertx;
  private final XStandIn standIn;
  private final Clock clock;
  private final Random random;
  private final String brandHandle;
  private long timer = -1;

  public DemoStream(Vertx vertx, XStandIn standIn, Clock clock, long seed) {
    this.vertx = vertx;
    this.standIn = standIn;
    this.clock = clock;
    this.random = new Random(seed);
    this.brandHandle = standIn.timeline().account(standIn.brandUserId()).handle();
    CUSTOMERS.forEach(c -> standIn.timeline().account(c.id, c.handle, c.name, c.followers));
  }

  /** Posts a small backlog (created minutes ago, so clocks are already running) and then one post every few seconds. */
  public void start(Duration every) {
    for (int i = 0; i < 8; i++) {
      var c = customer();
      String text = String.format(pick(i % 3 == 0 ? COMPLAINTS : QUESTIONS), brandHandle);
      standIn.timeline().publish(c.id, text, null, null, clock.instant().minus(Duration.ofMinutes(5L + random.nextInt(50))));
    }
    standIn.timeline().publish(CUSTOMERS.get(3).id, String.format(HOSTILE.get(0), brandHandle), null, null);
    timer = vertx.setPeriodic(every.toMillis(), t -> next());
  }

  public void stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
  }

  /** One more post of a random kind. */
  public void next() {
    int roll = random.nextInt(100);
    var c = customer();
    if (roll < 30) say(c, QUESTIONS);
    else if (roll < 45) say(c, COMPLAINTS);
    else if (roll < 49) say(c, URGENT);
    else if (roll < 57) say(c, PRAISE);
    else if (roll < 64) standIn.timeline().publish(c.id, pick(KEYWORD), null, null);
    else if (roll < 70) say(c, HOSTILE);
    else if (roll < 74) standIn.timeline().publish(standIn.brandUserId(), pick(BRAND_POSTS), null, null);
    else if (roll < 80) retweet(c);
    else if (roll < 92) followUp();
    else standIn.timeline().publish(c.id, "@" + brandHandle + " lol", null, null);
  }

  private void say(Customer c, List<String> templates) {
    standIn.timeline().publish(c.id, String.format(pick(templates), brandHandle), null, null);
  }

  private void retweet(Customer c) {
    var brandPosts = standIn.timeline().all().stream().filter(p -> p.authorId().equals(standIn.brandUserId()) && p.inReplyToId() == null).toList();
    if (brandPosts.isEmpty()) return;
    var original = brandPosts.get(random.nextInt(brandPosts.size()));
    standIn.timeline().publish(c.id, "RT @" + brandHandle + ": " + original.text(), null, original.id());
  }

  /** A customer answers one of the brand's replies in the same thread. */
  private void followUp() {
    List<StandInTimeline.StoredPost> replies = new ArrayList<>(standIn.timeline().all().stream()
      .filter(p -> p.authorId().equals(standIn.brandUserId()) && p.inReplyToUserId() != null)
      .toList());
    if (replies.isEmpty()) {
      say(customer(), QUESTIONS);
      return;
    }
    var reply = replies.get(random.nextInt(replies.size()));
    if (!standIn.timeline().repliesTo(reply.id()).isEmpty()) return;
    standIn.timeline().publish(reply.inReplyToUserId(), String.format(pick(FOLLOW_UPS), brandHandle), reply.id(), null);
  }

  private Customer customer() { return CUSTOMERS.get(random.nextInt(CUSTOMERS.size())); }

  private String pick(List<String> list) { return list.get(random.nextInt(list.size())); }
}
