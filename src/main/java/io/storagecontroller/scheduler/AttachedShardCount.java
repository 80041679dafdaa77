package io.storagecontroller.scheduler;

/** Between equally loaded nodes, spreads attachments, which carry the read and write traffic. */
final class AttachedShardCount implements ScoreTerm {
  @Override
  public long score(SchedulerNode node, ScheduleRequest request) {
    return node.attachedShardCount();
  }
}
