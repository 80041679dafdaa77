package io.storagecontroller.leadership;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  /**
   * Asks the step-down for only what changed since this mark (of {@code GET
   * /control/v1/observed_state}); a leader that answers only that says so in {@link #DELTA_HEADER}.
   * Neon's candidates do not send it and get the whole observed state, as Neon's leader answers.
   */
  public static final String SINCE_HEADER = "X-Storage-Controller-Observed-Since";

  /** On a step-down's answer: the body holds only the shards changed since this mark. */
  public static final String DELTA_HEADER = "X-Storage-Controller-Observed-Delta-Since";

  /** On {@code GET /control/v1/observed_state}: the mark the state was taken at. */
  public static final String MARK_HEADER = "X-Storage-Controller-Observed-Mark";

  private final Map<TenantShardId, Map<NodeId, Optional<LocationConfig>>> byShard;
  private final Set<NodeId> nodes = new HashSet<>();
  private final int size;

  /** The snapshot this one updated, and the shards it replaced in it (see {@link #updatedBy}). */
  private final ObservedSnapshot base;

  private final Set<TenantShardId> replaced;

  private ObservedSnapshot(Map<TenantShardId, Map<NodeId, Optional<LocationConfig>>> byShard) {
    this(byShard, null, Set.of());
  }

  private ObservedSnapshot(
      Map<TenantShardId, Map<NodeId, Optional<LocationConfig>>> byShard,
      ObservedSnapshot base,
      Set<TenantShardId> replaced) {
    this.byShard = byShard;
    this.base = base;
    this.replaced = replaced;
    int locations = 0;
    for (Map<NodeId, Optional<LocationConfig>> shard : byShard.values()) {
      nodes.addAll(shard.keySet());
      locations += shard.size();
    }
    this.size = locations;
  }

  /** Neon's {@code ObservedState}, as the step-down answer has it per shard. */
  private record Shard(Map<String, Location> locations) {}

  /** Neon's {@code ObservedStateLocation}: null conf is unknown. */
  private record Location(LocationConfig conf) {}

  private static final TypeReference<Map<String, Shard>> ANSWER = new TypeReference<>() {};

  /** {@link #parse}, logging how long it took. */
  static Optional<ObservedSnapshot> parseTimed(String json, String what) {
    long start = System.nanoTime();
    Optional<ObservedSnapshot> read = parse(json);
    log.info(
        "candidate: read the previous leader's {} ({} KiB) in {} ms",
        what,
        json.length() / 1024,
        (System.nanoTime() - start) / 1_000_000);
    return read;
  }

  static Optional<ObservedSnapshot> parse(String json) {
    try {
      Map<String, Shard> answer = PageserverJson.mapper().readValue(json, ANSWER);
      Map<TenantShardId, Map<NodeId, Optional<LocationConfig>>> byShard =
          new HashMap<>(answer.size() * 2);
      answer.forEach(
          (shard, observed) -> {
            Map<NodeId, Optional<LocationConfig>> locations = new HashMap<>();
            if (observed != null && observed.locations() != null) {
              observed
                  .locations()
                  .forEach(
                      (node, location) ->
                          locations.put(
                              NodeId.valueOf(node),
                              Optional.ofNullable(location == null ? null : location.conf())));
            }
            byShard.put(TenantShardId.parse(shard), locations);
          });
      return Optional.of(new ObservedSnapshot(byShard));
    } catch (JacksonException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A snapshot of these locations, by shard and node (an empty config is unknown). */
  public static ObservedSnapshot of(
      Map<TenantShardId, Map<NodeId, Optional<LocationConfig>>> byShard) {
    return new ObservedSnapshot(Map.copyOf(byShard));
  }

  public static ObservedSnapshot empty() {
    return new ObservedSnapshot(Map.of());
  }

  /**
   * This snapshot brought up to date by {@code changes}, the shards whose observed state changed
   * since it was taken: each replaces that shard's locations whole (a node it no longer names holds
   * nothing). A shard removed since (deleted, or split into children) stays as it was read: no
   * shard owns it any more, so the new leader treats what a node holds of it as a stray, as it
   * would have.
   */
  ObservedSnapshot updatedBy(ObservedSnapshot changes) {
    Map<TenantShardId, Map<NodeId, Optional<LocationConfig>>> merged = new HashMap<>(byShard);
    merged.putAll(changes.byShard);
    return new ObservedSnapshot(merged, this, Set.copyOf(changes.byShard.keySet()));
  }

  /**
   * The shards whose locations differ from {@code earlier}'s because this snapshot replaced them;
   * empty when this is not {@code earlier} {@linkplain #updatedBy updated} (then any may differ).
   */
  public Optional<Set<TenantShardId>> replacedSince(ObservedSnapshot earlier) {
    return base == earlier ? Optional.of(replaced) : Optional.empty();
  }

  /** Every shard's locations by node, empty values unknown. */
  public Map<TenantShardId, Map<NodeId, Optional<LocationConfig>>> byShard() {
    return Collections.unmodifiableMap(byShard);
  }

  /** The nodes it has locations of. */
  public Set<NodeId> nodes() {
    return Collections.unmodifiableSet(nodes);
  }

  /** How many shards it covers. */
  public int shards() {
    return byShard.size();
  }

  /** How many locations it holds, on all nodes. */
  public int size() {
    return size;
  }
}
