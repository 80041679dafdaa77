package io.storagecontroller.pageserver;

/** Where a pageserver's asynchronous deletion (timeline or tenant) stands. */
public enum DeletionProgress {
  /** 202: accepted, still running; ask again. */
  ACCEPTED,
  /** 409: a deletion is already in progress; ask again. */
  IN_PROGRESS,
  /** 404: nothing left to delete. */
  DONE
}
