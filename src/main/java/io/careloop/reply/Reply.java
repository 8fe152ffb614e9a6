package io.careloop.reply;

import io.careloop.outbox.PostState;

import java.time.Instant;

/**
 * A reply on a case, posted through the outbox: its text, who wrote it, and where its posting stands.
 *
 * @param brand            the brand posting it; null for replies stored before brands were managed (the configured one's)
 * @param inReplyToTweetId the customer's post it answers
 * @param xTweetId         the reply's own post on X once posted
 * @param error            why the last attempt failed
 */
public record Reply(String id, String caseId, String brand, String inReplyToTweetId, String text, String kbArticleId,
                    String agent, PostState state, int attempts, String xTweetId, String error, Instant createdAt,
                    Instant postedAt) {}
