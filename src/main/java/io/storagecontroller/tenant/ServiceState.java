package io.storagecontroller.tenant;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.reconcile.ShardReconcilePlanner;
import io.storagecontroller.reconcile.ShardSnapshot;
import io.storagecontroller.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Every tenant shard in memory, ordered by id so one tenant's shards are a contiguous range. Writes
 * take this object's monitor; callers must write Postgres first and then apply the change here.
 * Reads outside the monitor go through snapshots.
 */
@Component
public class ServiceState {
  /** Lives as long as the service: its per-node counts change incrementally with every intent. */
  private final Scheduler scheduler = new Scheduler();

  private final NavigableMap<TenantShardId, TenantShard> shards = new ConcurrentSkipListMap<>();

  public Scheduler scheduler() {
    return scheduler;
  }

  /** A shard from its row, not yet in the state (for building a tenant before it is committed). */
  public TenantShard newShard(TenantShardRow row) {
    return new TenantShard(row, scheduler);
  }

  /** Adds shards whose rows are already in the database; their intent must already be set. */
  public synchronized void add(Collection<TenantShard> added) {
    added.forEach(s -> shards.put(s.id(), s));
  }

  /** Loads a shard from its row with the intended placement it was persisted with. */
  public synchronized TenantShard load(TenantShardRow row) {
    TenantShard shard = new TenantShard(row, scheduler);
    NodeId attached =
        row.intendedAttached() != null ? row.intendedAttached() : row.generationPageserver();
    // A node deleted since the row was written is no placement: the shard gets rescheduled instead.
    if (attached != null && scheduler.node(attached).isPresent()) {
      shard.intent().setAttached(attached);
    }
    for (NodeId secondary : row.intendedSecondaries()) {
      if (!secondary.equals(shard.intent().attached()) && scheduler.node(secondary).isPresent()) {
        shard.intent().addSecondary(secondary);
      }
    }
    shards.put(shard.id(), shard);
    return shard;
  }

  /** Removes a tenant's shards, releasing their scheduler counts. */
  public synchronized List<TenantShard> removeTenant(TenantId tenant) {
    List<TenantShard> removed = new ArrayList<>(range(tenant).values());
    for (TenantShard shard : removed) {
      shard.intent().clear();
      shards.remove(shard.id());
    }
    return removed;
  }

  public Optional<TenantShard> shard(TenantShardId id) {
    return Optional.ofNullable(shards.get(id));
  }

  /** The tenant's shards in shard order (a live view: read fields under the monitor). */
  public List<TenantShard> tenant(TenantId tenant) {
    return List.copyOf(range(tenant).values());
  }

  public boolean hasTenant(TenantId tenant) {
    return !range(tenant).isEmpty();
  }

  /**
   * Tenant ids in order, strictly after {@code after} (null: from the start), at most {@code
   * limit}.
   */
  public List<TenantId> tenantIds(TenantId after, int limit) {
    List<TenantId> ids = new ArrayList<>();
    NavigableMap<TenantShardId, TenantShard> tail =
        after == null ? shards : shards.tailMap(upperBound(after), false);
    TenantId last = null;
    for (TenantShardId id : tail.keySet()) {
      if (!id.tenantId().equals(last)) {
        if (ids.size() >= limit) {
          break;
        }
        last = id.tenantId();
        ids.add(last);
      }
    }
    return ids;
  }

  public int size() {
    return shards.size();
  }

  public Collection<TenantShard> all() {
    return shards.values();
  }

  /** Reads a consistent view of several shards under the monitor. */
  public synchronized <T> T read(Supplier<T> reader) {
    return reader.get();
  }

  /** Applies a change to one shard under the monitor. */
  public synchronized void update(TenantShardId id, Consumer<TenantShard> change) {
    TenantShard shard = shards.get(id);
    if (shard != null) {
      change.accept(shard);
    }
  }

  public synchronized ShardSnapshot snapshot(TenantShard shard, Set<NodeId> availableNodes) {
    return new ShardSnapshot(
        shard.id(),
        shard.stripeSize(),
        shard.generation(),
        shard.policy(),
        shard.config(),
        shard.intent().attached(),
        shard.intent().secondaries(),
        shard.observed().locations(),
        availableNodes);
  }

  /**
   * Shards of the tenant whose pageservers do not match their intent (Stop-policy shards never).
   */
  public List<TenantShardId> dirtyShards(TenantId tenant, Set<NodeId> availableNodes) {
    List<TenantShardId> dirty = new ArrayList<>();
    for (TenantShard shard : tenant(tenant)) {
      if (isDirty(shard, availableNodes)) {
        dirty.add(shard.id());
      }
    }
    return dirty;
  }

  public synchronized boolean isDirty(TenantShard shard, Set<NodeId> availableNodes) {
    // A migrating shard belongs to its migration workflow, which reconciles it when it ends.
    if (shard.splitting()
        || shard.migrating()
        || shard.schedulingPolicy() == ShardSchedulingPolicy.STOP) {
      return false;
    }
    return !ShardReconcilePlanner.plan(snapshot(shard, availableNodes)).isEmpty();
  }

  public synchronized void generationIssued(TenantShardId id, Generation generation, NodeId node) {
    update(id, s -> s.generationIssued(generation, node));
  }

  /** The pageserver confirmed this config (Detached: nothing is there any more). */
  public synchronized void observed(TenantShardId id, NodeId node, LocationConfig config) {
    update(
        id,
        s -> {
          if (config.mode() == LocationConfigMode.DETACHED) {
            s.observed().remove(node);
          } else {
            s.observed().set(node, config);
          }
        });
  }

  /** A call to this node is under way or failed: what it holds is unknown until confirmed again. */
  public synchronized void observedUnknown(TenantShardId id, NodeId node) {
    update(id, s -> s.observed().markUnknown(node));
  }

  /**
   * Sets or clears the tenant's owed compute notification on every one of its shards. Memory only,
   * as in Neon: after a restart every attached tenant is notified anyway.
   */
  public synchronized void setPendingComputeNotification(TenantId tenant, boolean pending) {
    for (TenantShard shard : range(tenant).values()) {
      shard.setPendingComputeNotification(pending);
    }
  }

  private NavigableMap<TenantShardId, TenantShard> range(TenantId tenant) {
    return shards.subMap(lowerBound(tenant), true, upperBound(tenant), true);
  }

  private static TenantShardId lowerBound(TenantId tenant) {
    return new TenantShardId(tenant, ShardNumber.of(0), ShardCount.of(0));
  }

  private static TenantShardId upperBound(TenantId tenant) {
    return new TenantShardId(tenant, ShardNumber.of(255), ShardCount.of(255));
  }
}
