package io.storagecontroller.scheduler;

/**
 * One change of a shard's intent as it affects a node's counters. Only {@code IntentState} issues
 * these, so the counters move with the intents one step at a time and never need a full rescan.
 */
public enum RefCountUpdate {
  ATTACH(1, 1),
  DETACH(-1, -1),
  PROMOTE_SECONDARY(0, 1),
  DEMOTE_ATTACHED(0, -1),
  ADD_SECONDARY(1, 0),
  REMOVE_SECONDARY(-1, 0);

  final int locations;
  final int attached;

  RefCountUpdate(int locations, int attached) {
    this.locations = locations;
    this.attached = attached;
  }
}
