package io.careloop.queue;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Obvious spam, dismissed on arrival: follower and giveaway offers, crypto doubling, "DM for promo". Such cases are
 * kept (the dismissed view shows them, with the rule that matched) and never deleted; an agent can still reply.
 * Conservative on purpose: a missed spam costs a keypress, a dismissed customer costs a customer.
 */
public final class SpamRules {
  private static final Pattern OFFERS = Pattern.compile(
    "\\b(buy|cheap|free|get)\\s+(real\\s+)?(followers|likes|retweets)\\b"
      + "|\\b(crypto|bitcoin|btc|eth|usdt)\\b.{0,40}\\b(giveaway|double|doubling|airdrop)\\b"
      + "|\\bdm\\s+(me\\s+)?(for|to)\\s+(promo|promotion|collab|shoutout)\\b"
      + "|\\bpromote your (account|page|brand)\\b");
  private static final Pattern LINK = Pattern.compile("https?://\\S+");

  /** The reason to dismiss, or empty when the post may be a real customer. */
  public Optional<String> reason(String text) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
    if (OFFERS.matcher(t).find()) return Optional.of("auto: spam offer");
    if (LINK.matcher(t).results().count() >= 3) return Optional.of("auto: link spam");
    return Optional.empty();
  }
}
