package io.careloop.x;

import java.util.List;

/** One page of a timeline or search, newest first; {@code nextToken} is null on the last page. */
public record PostPage(List<Post> posts, String newestId, String nextToken) {
  public static PostPage empty() { return new PostPage(List.of(), null, null); }
}
