package io.careloop.analytics;

import io.careloop.queue.BusinessHours;
import io.careloop.queue.SlaBook;
import io.careloop.queue.SlaPolicy;

/**
 * The clock the public response-time figures count: the one the brand's response-time targets count. Calendar time
 * (the wait the customer had, nights and weekends included) unless every policy in the SLA book counts business
 * hours; only then are the public figures in opening hours, and the hours come with them so a reader can tell.
 * A book where one policy counts calendar time promises calendar-time answers to some customers, so the public page
 * must not look faster by counting only open hours.
 *
 * @param hours the opening hours counted, or null in calendar time
 */
public record PublicClock(boolean business, BusinessHours hours) {
  public static final PublicClock CALENDAR = new PublicClock(false, null);

  public PublicClock {
    if (business && hours == null) throw new IllegalArgumentException("business hours need opening hours");
    if (!business) hours = null;
  }

  /** The clock of a book; calendar time when there is no book yet. */
  public static PublicClock of(SlaBook book) {
    if (book == null || !book.policies().stream().allMatch(SlaPolicy::businessHours)) return CALENDAR;
    return new PublicClock(true, book.hours());
  }

  /** As the API says it: "business" or "calendar" (the dashboard's {@code time} parameter). */
  public String time() { return business ? "business" : "calendar"; }
}
