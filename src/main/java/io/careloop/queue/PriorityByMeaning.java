package io.careloop.queue;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Priority from what a new case means, beside the keywords of {@link PriorityRules}: a complaint or an outage report
 * ranks high even when it uses none of the listed words ("Marked as delivered at 6:14. No bags anywhere."). It only
 * ever raises: the keywords stay the floor and the explanation, and the meaning's reason names its score. Runs behind
 * intake, once the opening post's vector exists.
 */
public final class PriorityByMeaning {

  /**
   * @param margin how much closer to the complaint or outage examples than to the how-to ones
   * @param floor  how close to them at least (short chatter sits near nothing and must not be raised)
   */
  public record Thresholds(double margin, double floor) {}

  // Sentences written for the classes, not taken from the labelled sets.
  static final List<String> COMPLAINT_EXAMPLES = List.of("my order never arrived and nobody has helped",
    "I've been waiting for hours and still nothing", "this is the third time my delivery is late", "you took my money and I got nothing",
    "your customer service is useless", "the driver was rude and left my shopping in the rain", "half my items were missing again",
    "I want my money back", "I'm really unhappy with how this was handled", "nobody answers my messages",
    "the food arrived cold and damaged", "I was overcharged for my order");
  static final List<String> OUTAGE_EXAMPLES = List.of("the app won't load for anyone", "is the site down? nothing works",
    "checkout keeps crashing", "the app crashes every time I open it", "can't log in, the page just spins",
    "payments are failing for everyone right now", "your website has been offline all morning", "the app is stuck on a blank screen");
  static final List<String> HOW_TO_EXAMPLES = List.of("how do I change my delivery address?", "can I change my delivery slot?",
    "where do I find my receipts?", "how do I add a promo code?", "do you deliver on Sundays?", "how can I update my payment card?",
    "is there a way to pause my subscription?", "what time do deliveries start?", "how do I add an item to an existing order?",
    "can I get a receipt emailed to me?");

  private final Prototypes complaint;
  private final Prototypes outage;
  private final Prototypes howTo;
  private final Thresholds thresholds;

  private PriorityByMeaning(Prototypes complaint, Prototypes outage, Prototypes howTo, Thresholds thresholds) {
    this.complaint = complaint;
    this.outage = outage;
    this.howTo = howTo;
    this.thresholds = thresholds;
  }

  /** Example vectors computed once, by {@code embed} (the sentence model, in order). */
  public static PriorityByMeaning create(Function<List<String>, List<float[]>> embed, Thresholds thresholds) {
    return new PriorityByMeaning(Prototypes.of(COMPLAINT_EXAMPLES, embed), Prototypes.of(OUTAGE_EXAMPLES, embed),
      Prototypes.of(HOW_TO_EXAMPLES, embed), thresholds);
  }

  /**
   * The priority with the meaning taken into account: the keywords' when the meaning says nothing more, else high
   * (one step more for a large audience) with the meaning's reason.
   */
  public PriorityRules.Ranked rank(PriorityRules.Ranked byKeywords, float[] vector, long followers) {
    double c = complaint.closeness(vector);
    double o = outage.closeness(vector);
    double closest = Math.max(c, o);
    double margin = closest - howTo.closeness(vector);
    if (margin < thresholds.margin() || closest < thresholds.floor()) return byKeywords;
    var byMeaning = new PriorityRules.Ranked(Priority.high, String.format(Locale.ROOT, "meaning: reads like %s (%.2f, %+.2f over a how-to)",
      o > c ? "an outage report" : "a complaint", closest, margin));
    if (followers >= PriorityRules.LARGE_AUDIENCE) byMeaning = PriorityRules.withLargeAudience(byMeaning);
    // Priority's order is most urgent first: a smaller ordinal ranks higher.
    return byMeaning.priority().ordinal() < byKeywords.priority().ordinal() ? byMeaning : byKeywords;
  }
}
