package io.careloop.reply;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reply as the API shows it, built from the {@link Reply} record: the same JSON, to the byte, as the view built
 * from the stored document before there was a record (the expected strings are that code's output).
 */
@DisplayName("A reply's API view is unchanged by the record in between")
class ReplyViewTest {

  static Stream<Arguments> stored() {
    return Stream.of(
      Arguments.of(
        "{\"_id\":\"c1-abc\",\"caseId\":\"c1\",\"brand\":\"AcmeCloud\",\"inReplyToTweetId\":\"5\",\"text\":\"@sam done\",\"kbArticleId\":\"kb-1\",\"agent\":\"abe\",\"state\":\"posted\",\"attempts\":1,\"createdAt\":{\"$date\":\"2026-11-01T10:00:00Z\"},\"updatedAt\":{\"$date\":\"2026-11-01T10:00:02Z\"},\"node\":\"n\",\"claimUntil\":{\"$date\":\"2026-11-01T10:01:00Z\"},\"lastAttemptAt\":{\"$date\":\"2026-11-01T10:00:01Z\"},\"xTweetId\":\"77\",\"postedAt\":{\"$date\":\"2026-11-01T10:00:01.500Z\"},\"error\":null}",
        "{\"id\":\"c1-abc\",\"caseId\":\"c1\",\"text\":\"@sam done\",\"state\":\"posted\",\"xTweetId\":\"77\",\"inReplyToTweetId\":\"5\",\"agent\":\"abe\",\"kbArticleId\":\"kb-1\",\"attempts\":1,\"error\":null,\"createdAt\":\"2026-11-01T10:00:00Z\",\"postedAt\":\"2026-11-01T10:00:01.500Z\"}"),
      Arguments.of(
        "{\"_id\":\"c2-def\",\"caseId\":\"c2\",\"inReplyToTweetId\":\"6\",\"text\":\"@oto try again\",\"kbArticleId\":null,\"agent\":\"abe\",\"state\":\"failed\",\"attempts\":2,\"createdAt\":{\"$date\":\"2026-11-01T10:00:00Z\"},\"error\":\"SERVER_ERROR 503: X answered 503\"}",
        "{\"id\":\"c2-def\",\"caseId\":\"c2\",\"text\":\"@oto try again\",\"state\":\"failed\",\"xTweetId\":null,\"inReplyToTweetId\":\"6\",\"agent\":\"abe\",\"kbArticleId\":null,\"attempts\":2,\"error\":\"SERVER_ERROR 503: X answered 503\",\"createdAt\":\"2026-11-01T10:00:00Z\",\"postedAt\":null}"),
      Arguments.of(
        "{\"_id\":\"c3-ghi\",\"caseId\":\"c3\",\"text\":\"@nia soon\",\"agent\":\"abe\",\"state\":\"pending\",\"createdAt\":{\"$date\":\"2026-11-01T10:00:00Z\"}}",
        "{\"id\":\"c3-ghi\",\"caseId\":\"c3\",\"text\":\"@nia soon\",\"state\":\"pending\",\"xTweetId\":null,\"inReplyToTweetId\":null,\"agent\":\"abe\",\"kbArticleId\":null,\"attempts\":0,\"error\":null,\"createdAt\":\"2026-11-01T10:00:00Z\",\"postedAt\":null}"));
  }

  @ParameterizedTest
  @MethodSource("stored")
  @DisplayName("a posted, a failed and a pending reply (one from before brands and claims) show as before")
  void sameJson(String stored, String expected) {
    assertEquals(expected, ReplyService.publicView(MongoReplyRepository.reply(new JsonObject(stored))).encode());
  }
}
