package io.careloop.queue;

/** Told of every write {@link MongoCaseRepository} makes to a case, as {@link OpenQueueSync} is (the case search follows it). */
public interface CaseWrites {
  /** A case the database just created. */
  void created(Case c);

  /** A case as the database returned it after a write. */
  void written(Case c);

  /** Something changed the case: read it again. */
  void changed(String id);
}
