package io.storagecontroller.leadership;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * What the leader that stepped down had observed, by node: Neon's {@code GlobalObservedState}
 * ({@code {"<tenant_shard_id>": {"locations": {"<node_id>": {"conf": ...|null}}}}}), where a null
 * conf is "unknown". The new leader takes it instead of listing those nodes' locations again.
 */
public final class ObservedSnapshot {
  private static final Logger log = LoggerFactory.getLogger(ObservedSnapshot.class);

  private final Map<NodeId, Map<TenantShardId, Optional<LocationConfig>>> byNode;

  private ObservedSnapshot(Map<NodeId, Map<TenantShardId, Optional<LocationConfig>>> byNode) {
    this.byNode = byNode;
  }

  /** Neon's {@code ObservedState}, as the step-down answer has it per shard. */
  private record Shard(Map<String, Location> locations) {}

  /** Neon's {@code ObservedStateLocation}: null conf is unknown. */
  private record Location(LocationConfig conf) {}

  private static final TypeReference<Map<String, Shard>> ANSWER = new TypeReference<>() {};

  /**
   * The step-down answer, read on another thread (tens of thousands of locations take seconds to
   * read cold) while the new leader takes the lock, migrates and loads its shards; empty when it
   * cannot be read (the new leader then scans).
   */
  static CompletableFuture<Optional<ObservedSnapshot>> parseLater(String json) {
    return CompletableFuture.supplyAsync(
        () -> {
          long start = System.nanoTime();
          Optional<ObservedSnapshot> read = parse(json);
          log.info(
              "candidate: read the previous leader's snapshot ({} KiB) in {} ms",
              json.length() / 1024,
              (System.nanoTime() - start) / 1_000_000);
          return read;
        });
  }

  static Optional<ObservedSnapshot> parse(String json) {
    try {
      Map<String, Shard> answer = PageserverJson.mapper().readValue(json, ANSWER);
      Map<NodeId, Map<TenantShardId, Optional<LocationConfig>>> byNode = new HashMap<>();
      answer.forEach(
          (shard, observed) -> {
            TenantShardId id = TenantShardId.parse(shard);
            if (observed == null || observed.locations() == null) {
              return;
            }
            observed
                .locations()
                .forEach(
                    (node, location) ->
                        byNode
                            .computeIfAbsent(NodeId.valueOf(node), n -> new HashMap<>())
                            .put(
                                id,
                                Optional.ofNullable(location == null ? null : location.conf())));
          });
      return Optional.of(new ObservedSnapshot(byNode));
    } catch (JacksonException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static ObservedSnapshot empty() {
    return new ObservedSnapshot(Map.of());
  }

  /** The nodes it has locations of. */
  public Set<NodeId> nodes() {
    return byNode.keySet();
  }

  /** One node's locations by shard, empty values unknown. */
  public Map<TenantShardId, Optional<LocationConfig>> locations(NodeId node) {
    return byNode.getOrDefault(node, Map.of());
  }

  public int size() {
    return byNode.values().stream().mapToInt(Map::size).sum();
  }
}
