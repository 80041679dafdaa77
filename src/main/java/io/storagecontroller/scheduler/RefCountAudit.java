package io.storagecontroller.scheduler;

import io.storagecontroller.model.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recounts every node's locations from the intents and lists where the incremental counters
 * disagree. Meant for idle systems and tests; it is the one place that scans every shard.
 */
final class RefCountAudit {
  private RefCountAudit() {}

  static List<String> run(
      Map<NodeId, SchedulerNode> nodes, Iterable<? extends ShardLocations> intents) {
    List<String> problems = new ArrayList<>();
    Map<NodeId, long[]> expected = new TreeMap<>();
    nodes.keySet().forEach(id -> expected.put(id, new long[3]));
    for (ShardLocations intent : intents) {
      List<NodeId> used = new ArrayList<>();
      if (intent.attached() != null) {
        used.add(intent.attached());
      }
      used.addAll(intent.secondaries());
      if (new HashSet<>(used).size() != used.size()) {
        problems.add("intent " + describe(intent) + " uses a node more than once");
      }
      for (NodeId id : used) {
        long[] counts = expected.get(id);
        if (counts == null) {
          problems.add(
              "intent "
                  + describe(intent)
                  + " references node "
                  + id
                  + " unknown to the scheduler");
          continue;
        }
        counts[0]++;
        if (id.equals(intent.attached())) {
          counts[1]++;
        }
        if (nodes.get(id).isHomeOf(intent.preferredAz())) {
          counts[2]++;
        }
      }
    }
    expected.forEach(
        (id, counts) -> {
          SchedulerNode node = nodes.get(id);
          compare(problems, id, "shard_count", node.shardCount(), counts[0]);
          compare(problems, id, "attached_shard_count", node.attachedShardCount(), counts[1]);
          compare(problems, id, "home_shard_count", node.homeShardCount(), counts[2]);
        });
    return problems;
  }

  private static void compare(
      List<String> problems, NodeId id, String counter, long actual, long expected) {
    if (actual != expected) {
      problems.add(
          "node " + id + ": " + counter + " is " + actual + " but the intents hold " + expected);
    }
  }

  private static String describe(ShardLocations intent) {
    return "{attached="
        + intent.attached()
        + ", secondaries="
        + intent.secondaries()
        + ", preferred_az="
        + intent.preferredAz()
        + "}";
  }
}
