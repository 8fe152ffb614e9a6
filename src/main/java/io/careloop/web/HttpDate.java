package io.careloop.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP dates (Date, Last-Modified, If-Modified-Since) as RFC 9110 §5.6.7 asks a sender to write them: IMF-fixdate,
 * "Tue, 01 Dec 2026 19:44:05 GMT". {@link DateTimeFormatter#RFC_1123_DATE_TIME} is not that format: it writes a day
 * below 10 with one digit ("Tue, 1 Dec 2026"), which strict caches and validators refuse.
 */
final class HttpDate {
  private static final DateTimeFormatter IMF_FIXDATE =
    DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private HttpDate() {}

  static String format(Instant instant) {
    return IMF_FIXDATE.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** A date a client or a library sent: IMF-fixdate, or RFC 1123 with a one-digit day; empty when neither. */
  static Optional<Instant> parse(String value) {
    if (value == null) return Optional.empty();
    try {
      return Optional.of(ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
