package io.careloop.store;

/** Collection names, in one place so a feature never spells another's. */
public final class Collections {
  public static final String MENTIONS = "mentions";
  public static final String CASES = "cases";
  /** Post id (conversation root, message, our reply) to the case it leads to. */
  public static final String CASE_THREADS = "case_threads";
  public static final String REPLIES = "replies";
  public static final String SOURCES = "sources";
  /** Posts the X account read (or reserved) per month, against the monthly cap; one document per month. */
  public static final String READ_BUDGET = "read_budget";
  public static final String USERS = "users";
  public static final String BLOG_POSTS = "blog_posts";

  private Collections() {}
}
