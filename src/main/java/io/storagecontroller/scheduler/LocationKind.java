package io.storagecontroller.scheduler;

import java.util.Comparator;
import java.util.List;

/** Attached and secondary locations rank nodes differently (Neon's two scheduling scores). */
enum LocationKind {
  ATTACHED(
      List.of(
          AzMatch.ATTACHED,
          new Affinity(),
          new UtilizationScore(),
          new AttachedShardCount(),
          new LowestNodeId())),
  SECONDARY(
      List.of(
          AzMatch.SECONDARY,
          new Affinity(),
          new UtilizationScore(),
          new NonHomeShardCount(),
          new LowestNodeId()));

  private final List<ScoreTerm> terms;

  LocationKind(List<ScoreTerm> terms) {
    this.terms = terms;
  }

  /** Best node first. */
  Comparator<SchedulerNode> order(ScheduleRequest request) {
    Comparator<SchedulerNode> order = (a, b) -> 0;
    for (ScoreTerm term : terms) {
      order = order.thenComparingLong(node -> term.score(node, request));
    }
    return order;
  }

  /** The score as a list of its terms, for logging a decision. */
  List<Long> score(SchedulerNode node, ScheduleRequest request) {
    return terms.stream().map(term -> term.score(node, request)).toList();
  }
}
