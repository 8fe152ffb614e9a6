package io.careloop.store;

/**
 * Collection names still spelled here while their features move them home (each feature declares its own; see
 * README "Code layout"). Temporary: the ownership test fails while any is read outside its feature.
 */
public final class Collections {
  public static final String CASES = "cases";
  public static final String REPLIES = "replies";
  public static final String BLOG_POSTS = "blog_posts";

  private Collections() {}
}
