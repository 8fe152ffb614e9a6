package io.careloop.listening;

/** Where mentions come from: the brand account's mentions, or a keyword search. */
public record Source(String id, Kind kind, String brand, String userId, String query) {
  public enum Kind { MENTIONS, SEARCH }

  public static Source mentionsOf(String brandHandle, String userId) {
    return new Source("mentions-" + userId, Kind.MENTIONS, brandHandle, userId, null);
  }

  /**
   * A keyword search; the brand's own posts and retweets are excluded in the query so that they do not count
   * against the monthly read cap (the intake skips them as well).
   */
  public static Source keyword(String brandHandle, String keyword, boolean v1) {
    String phrase = keyword.contains(" ") ? "\"" + keyword.replace("\"", "") + "\"" : keyword;
    String query = phrase + (v1 ? " -filter:retweets" : " -is:retweet") + " -from:" + brandHandle;
    String slug = keyword.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return new Source("search-" + slug, Kind.SEARCH, brandHandle, null, query);
  }
}
