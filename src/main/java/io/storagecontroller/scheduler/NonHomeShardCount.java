package io.storagecontroller.scheduler;

/**
 * Between equally loaded nodes, spreads secondaries: counts the locations on the node whose shard
 * lives in another AZ, which are mostly secondaries placed there for HA.
 */
final class NonHomeShardCount implements ScoreTerm {
  @Override
  public long score(SchedulerNode node, ScheduleRequest request) {
    return node.shardCount() - node.homeShardCount();
  }
}
