package io.careloop.blog;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The blog post as the API shows it, built from the {@link BlogPost} record: the same JSON, to the byte, as the view
 * built from the stored document before there was a record (the expected strings are that code's output).
 */
@DisplayName("A blog post's API view is unchanged by the record in between")
class BlogPostViewTest {

  static Stream<Arguments> stored() {
    return Stream.of(
      Arguments.of(
        "{\"_id\":\"p1\",\"clusterId\":\"qc1\",\"title\":\"How do I export?\",\"question\":\"how do I export\",\"body\":\"Body\\nwith steps\",\"kbArticleId\":\"kb-1\",\"tags\":[\"billing\",\"export\"],\"anonymise\":false,\"quotes\":[{\"text\":\"how?\",\"by\":\"@sam\",\"handle\":\"sam\",\"tweetId\":\"11\"},{\"text\":\"q\",\"by\":\"a customer\"}],\"status\":\"published\",\"slug\":\"how-do-i-export\",\"views\":7,\"revision\":3,\"author\":\"cm\",\"createdAt\":{\"$date\":\"2026-11-01T10:00:00Z\"},\"updatedAt\":{\"$date\":\"2026-11-02T10:00:00.123Z\"},\"publishedAt\":{\"$date\":\"2026-11-02T10:00:00.123Z\"},\"tweet\":{\"text\":\"New: L\",\"link\":\"L\",\"author\":\"cm\",\"createdAt\":{\"$date\":\"2026-11-02T10:00:30Z\"},\"state\":\"posted\",\"attempts\":2,\"node\":\"n\",\"claimUntil\":{\"$date\":\"2026-11-02T10:01:30Z\"},\"lastAttemptAt\":{\"$date\":\"2026-11-02T10:00:59Z\"},\"xTweetId\":\"99\",\"postedAt\":{\"$date\":\"2026-11-02T10:01:00Z\"},\"error\":null}}",
        "{\"id\":\"p1\",\"clusterId\":\"qc1\",\"slug\":\"how-do-i-export\",\"title\":\"How do I export?\",\"question\":\"how do I export\",\"body\":\"Body\\nwith steps\",\"kbArticleId\":\"kb-1\",\"tags\":[\"billing\",\"export\"],\"anonymise\":false,\"quotes\":[{\"text\":\"how?\",\"by\":\"@sam\",\"handle\":\"sam\",\"tweetId\":\"11\"},{\"text\":\"q\",\"by\":\"a customer\"}],\"status\":\"published\",\"views\":7,\"revision\":3,\"author\":\"cm\",\"createdAt\":\"2026-11-01T10:00:00Z\",\"updatedAt\":\"2026-11-02T10:00:00.123Z\",\"publishedAt\":\"2026-11-02T10:00:00.123Z\",\"tweet\":{\"text\":\"New: L\",\"link\":\"L\",\"state\":\"posted\",\"attempts\":2,\"xTweetId\":\"99\",\"error\":null,\"postedAt\":\"2026-11-02T10:01:00Z\"}}"),
      Arguments.of(
        "{\"_id\":\"p2\",\"clusterId\":\"qc2\",\"title\":\"T\",\"status\":\"draft\",\"slug\":null,\"createdAt\":{\"$date\":\"2026-11-01T10:00:00Z\"},\"updatedAt\":{\"$date\":\"2026-11-01T10:00:00Z\"}}",
        "{\"id\":\"p2\",\"clusterId\":\"qc2\",\"slug\":null,\"title\":\"T\",\"question\":null,\"body\":null,\"kbArticleId\":null,\"tags\":[],\"anonymise\":false,\"quotes\":[],\"status\":\"draft\",\"views\":0,\"revision\":1,\"author\":null,\"createdAt\":\"2026-11-01T10:00:00Z\",\"updatedAt\":\"2026-11-01T10:00:00Z\",\"publishedAt\":null,\"tweet\":null}"),
      Arguments.of(
        "{\"_id\":\"p3\",\"clusterId\":\"qc3\",\"title\":\"U\",\"question\":\"q?\",\"body\":\"b\",\"kbArticleId\":null,\"tags\":[],\"anonymise\":true,\"quotes\":[{\"text\":\"[redacted]\",\"by\":\"a customer\"}],\"status\":\"unpublished\",\"slug\":\"u\",\"views\":0,\"revision\":1,\"author\":\"cm\",\"createdAt\":{\"$date\":\"2026-11-01T10:00:00Z\"},\"updatedAt\":{\"$date\":\"2026-11-03T10:00:00Z\"},\"publishedAt\":{\"$date\":\"2026-11-02T10:00:00Z\"},\"tweet\":{\"text\":\"x L\",\"link\":\"L\",\"state\":\"failed\",\"attempts\":1,\"error\":\"could not post: boom\"}}",
        "{\"id\":\"p3\",\"clusterId\":\"qc3\",\"slug\":\"u\",\"title\":\"U\",\"question\":\"q?\",\"body\":\"b\",\"kbArticleId\":null,\"tags\":[],\"anonymise\":true,\"quotes\":[{\"text\":\"[redacted]\",\"by\":\"a customer\"}],\"status\":\"unpublished\",\"views\":0,\"revision\":1,\"author\":\"cm\",\"createdAt\":\"2026-11-01T10:00:00Z\",\"updatedAt\":\"2026-11-03T10:00:00Z\",\"publishedAt\":\"2026-11-02T10:00:00Z\",\"tweet\":{\"text\":\"x L\",\"link\":\"L\",\"state\":\"failed\",\"attempts\":1,\"xTweetId\":null,\"error\":\"could not post: boom\",\"postedAt\":null}}"));
  }

  @ParameterizedTest
  @MethodSource("stored")
  @DisplayName("a published post with its tweet, a bare draft, and an unpublished post whose tweet failed show as before")
  void sameJson(String stored, String expected) {
    assertEquals(expected, BlogService.view(new JsonObject(stored)).encode());
  }

  @Test
  @DisplayName("a new post's document read back is the same record")
  void roundTrip() {
    BlogPost p = MongoBlogPostRepository.post(new JsonObject(stored().findFirst().orElseThrow().get()[0].toString()).put("tweet", (Object) null));
    assertEquals(p, MongoBlogPostRepository.post(new JsonObject(MongoBlogPostRepository.document(p).encode())));
  }
}
