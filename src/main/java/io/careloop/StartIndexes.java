package io.careloop;

import io.careloop.accounts.UserService;
import io.careloop.queue.MongoCaseRepository;
import io.careloop.reply.MongoReplyRepository;
import io.vertx.core.Future;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;

/**
 * The indexes CareLoop creates at start, each by the feature that owns the collection (the same methods the start
 * calls): the import command creates them on the database it fills, so a real MongoDB has them before CareLoop's
 * first query. Creating an index that exists is a no-op, so the next start's own calls cost nothing.
 */
final class StartIndexes {
  private StartIndexes() {}

  static Future<Void> create(MongoClient mongo) {
    return Future.all(List.of(UserService.createIndexes(mongo), MongoCaseRepository.createIndexes(mongo),
      MongoReplyRepository.createIndexes(mongo))).mapEmpty();
  }
}
