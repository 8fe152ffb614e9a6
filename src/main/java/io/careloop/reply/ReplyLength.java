package io.careloop.reply;

import com.twitter.twittertext.TwitterTextParseResults;
import com.twitter.twittertext.TwitterTextParser;

/**
 * Length of a post as X counts it (twitter-text: URLs weigh 23, emoji and CJK double), so the composer refuses
 * exactly what X would refuse.
 */
public record ReplyLength(int weightedLength, int limit, boolean valid) {
  public static final int LIMIT = 280;

  public static ReplyLength of(String text) {
    TwitterTextParseResults r = TwitterTextParser.parseTweet(text == null ? "" : text);
    return new ReplyLength(r.weightedLength, LIMIT, r.isValid);
  }

  public int remaining() { return limit - weightedLength; }
}
