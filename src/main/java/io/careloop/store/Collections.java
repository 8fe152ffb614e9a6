package io.careloop.store;

/** Collection names, in one place so a feature never spells another's. */
public final class Collections {
  public static final String MENTIONS = "mentions";
  public static final String CASES = "cases";
  /** Post id (conversation root, message, our reply) to the case it leads to. */
  public static final String CASE_THREADS = "case_threads";
  public static final String REPLIES = "replies";
  public static final String SOURCES = "sources";
  public static final String USERS = "users";
  public static final String BLOG_POSTS = "blog_posts";

  private Collections() {}
}
