package io.storagecontroller.scheduler;

/** Spreads one tenant's shards: each of its locations already on the node counts against it. */
final class Affinity implements ScoreTerm {
  @Override
  public long score(SchedulerNode node, ScheduleRequest request) {
    return request.context().affinity(node.id());
  }
}
