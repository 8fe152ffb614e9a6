package io.careloop.analytics;

import io.careloop.queue.BusinessHours;

import java.time.Duration;
import java.time.Instant;

/**
 * One response the SLA log recorded: from the start of its clock (the customer's post, or their follow-up) to X's
 * confirmation of the reply, in calendar seconds and in the brand's open hours. Plain Java; stored by
 * {@link FactDocuments}.
 */
public record ResponseFact(String id, String caseId, String metric, String brand, String source, String priority, String agent,
                           Instant startedAt, Instant respondedAt, Instant dueAt, long seconds, long businessSeconds, boolean met) {

  public static ResponseFact of(String id, String caseId, String metric, String brand, String source, String priority, String agent,
                                Instant startedAt, Instant respondedAt, Instant dueAt, boolean met, BusinessHours hours) {
    Instant end = respondedAt.isBefore(startedAt) ? startedAt : respondedAt;
    return new ResponseFact(id, caseId, metric, brand, source, priority, agent, startedAt, end, dueAt,
      Duration.between(startedAt, end).toSeconds(), hours.between(startedAt, end).toSeconds(), met);
  }

  /** The UTC day it counts in (the day of the reply). */
  public String day() { return Rollup.day(respondedAt); }
}
