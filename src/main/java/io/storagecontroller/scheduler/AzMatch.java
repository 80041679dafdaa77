package io.storagecontroller.scheduler;

/**
 * Whether the node is in the shard's preferred AZ. Attached locations want to be there; secondaries
 * want to be elsewhere so that losing one AZ does not lose both copies. A node or shard without an
 * AZ ranks in between: it might be either.
 */
final class AzMatch implements ScoreTerm {
  static final AzMatch ATTACHED = new AzMatch(0, 1, 2);
  static final AzMatch SECONDARY = new AzMatch(2, 1, 0);

  private final long inPreferred;
  private final long unknown;
  private final long elsewhere;

  private AzMatch(long inPreferred, long unknown, long elsewhere) {
    this.inPreferred = inPreferred;
    this.unknown = unknown;
    this.elsewhere = elsewhere;
  }

  @Override
  public long score(SchedulerNode node, ScheduleRequest request) {
    if (request.preferredAz() == null || node.az() == null) {
      return unknown;
    }
    return node.isHomeOf(request.preferredAz()) ? inPreferred : elsewhere;
  }
}
