package io.storagecontroller.tenant;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ReconcileTrigger;
import io.storagecontroller.scheduler.ScheduleContext;
import io.storagecontroller.scheduler.ScheduleException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tenant lifecycle: create (all or nothing), placement policy changes and delete. Every change is
 * committed to Postgres before memory, then the tenant's reconcile is requested.
 */
@Service
public class TenantService {
  private static final Logger log = LoggerFactory.getLogger(TenantService.class);

  /** Neon's RECONCILE_TIMEOUT: how long API calls wait for pageservers to match a new intent. */
  static final Duration RECONCILE_TIMEOUT = Duration.ofSeconds(30);

  private final ServiceState state;
  private final NodeService nodes;
  private final TenantShardPersistence persistence;
  private final SerializableTransactions transactions;
  private final ReconcileTrigger reconciles;
  private final RemoteTenantDeletion remoteDeletion;

  private final ReentrantLock[] creationLocks = newLocks(64);

  public TenantService(
      ServiceState state,
      NodeService nodes,
      TenantShardPersistence persistence,
      SerializableTransactions transactions,
      ReconcileTrigger reconciles,
      RemoteTenantDeletion remoteDeletion) {
    this.state = state;
    this.nodes = nodes;
    this.persistence = persistence;
    this.transactions = transactions;
    this.reconciles = reconciles;
    this.remoteDeletion = remoteDeletion;
  }

  /**
   * Creates every shard of the tenant or none: if any shard cannot be scheduled the answer is a 409
   * and neither memory nor Postgres keeps anything. Waits (bounded) for the pageservers to attach.
   */
  public List<TenantShard> create(TenantCreateRequest request) {
    return create(request, RECONCILE_TIMEOUT);
  }

  /** As {@link #create(TenantCreateRequest)}, waiting at most {@code wait} for the pageservers. */
  public List<TenantShard> create(TenantCreateRequest request, Duration wait) {
    TenantId tenant = request.newTenantId().tenantId();
    List<TenantShard> created;
    // Two creates of one tenant queue here (the second answers as for an existing tenant); creates
    // of different tenants hold the service lock only to schedule and to add, not across the
    // insert, so they commit side by side.
    ReentrantLock creating = creationLocks[Math.floorMod(tenant.hashCode(), creationLocks.length)];
    creating.lock();
    try {
      synchronized (state) {
        if (state.hasTenant(tenant)) {
          return existing(tenant, request);
        }
        created = schedule(request);
      }
      try {
        transactions.run(
            "insert_tenant_shards",
            () -> persistence.insert(created.stream().map(TenantShard::toRow).toList()));
      } catch (DuplicateKeyException e) {
        releaseLocked(created);
        throw ApiError.conflict("tenant " + tenant + " already exists");
      } catch (RuntimeException e) {
        releaseLocked(created);
        throw e;
      }
      synchronized (state) {
        state.add(created);
      }
    } finally {
      creating.unlock();
    }
    log.info(
        "created tenant {} with {} shards, policy {}",
        tenant,
        created.size(),
        request.placementPolicy());
    reconciles.request(tenant);
    awaitReconciled(tenant, wait);
    return created;
  }

  /**
   * Waits until the tenant's pageservers match its intent, or the timeout passes; true if clean.
   */
  public boolean awaitReconciled(TenantId tenant, Duration timeout) {
    boolean clean =
        await(timeout, () -> state.dirtyShards(tenant, nodes.availableNodes()).isEmpty());
    if (!clean) {
      log.warn("tenant {} not reconciled within {}", tenant, timeout);
    }
    return clean;
  }

  /** Sets placement and scheduling policy for every shard (persisted), then reschedules. */
  public void setPolicy(
      TenantId tenant, PlacementPolicy placement, ShardSchedulingPolicy scheduling) {
    synchronized (state) {
      List<TenantShard> shards = requireTenant(tenant);
      PlacementPolicy newPlacement = placement != null ? placement : shards.get(0).policy();
      ShardSchedulingPolicy newScheduling =
          scheduling != null
              ? scheduling
              // Neon: leaving attached placement without naming a scheduling policy makes it
              // Active.
              : placement != null && !(placement instanceof PlacementPolicy.Attached)
                  ? ShardSchedulingPolicy.ACTIVE
                  : shards.get(0).schedulingPolicy();
      transactions.run(
          "update_tenant_shard",
          () -> persistence.updatePolicy(tenant, newPlacement, newScheduling));
      ScheduleContext context = new ScheduleContext();
      for (TenantShard shard : shards) {
        shard.setPolicy(newPlacement, newScheduling);
        try {
          if (shard.intent().schedule(shard.id(), newPlacement, newScheduling, context)) {
            shard.bumpSequence();
          }
        } catch (ScheduleException e) {
          log.warn(
              "tenant {} shard {} cannot be rescheduled now: {}",
              tenant,
              shard.id(),
              e.getMessage());
        }
        persistIntent(shard);
      }
    }
    reconciles.request(tenant);
  }

  /**
   * Moves a shard's attachment to {@code node}. An unknown node is refused (400), an unavailable or
   * unschedulable one too (412) unless the caller overrides the scheduler; nothing changes on
   * refusal.
   */

  /**
   * Onboarding of an existing tenant through {@code location_config}: policy and config are
   * replaced, a shard without a generation adopts the caller's (only in attached modes), then the
   * tenant is rescheduled and reconciled.
   */
  public void reconfigure(
      TenantId tenant,
      PlacementPolicy placement,
      ShardSchedulingPolicy scheduling,
      Generation adopt,
      ObjectNode config) {
    synchronized (state) {
      List<TenantShard> shards = requireTenant(tenant);
      ShardSchedulingPolicy newScheduling =
          scheduling != null ? scheduling : shards.get(0).schedulingPolicy();
      transactions.run(
          "update_tenant_shard",
          () -> {
            persistence.updatePolicy(tenant, placement, newScheduling);
            persistence.updateConfig(tenant, config.toString());
            if (adopt != null) {
              shards.forEach(s -> persistence.adoptGeneration(s.id(), adopt));
            }
          });
      ScheduleContext context = new ScheduleContext();
      for (TenantShard shard : shards) {
        shard.setPolicy(placement, newScheduling);
        shard.setConfig(config.deepCopy());
        if (adopt != null) {
          shard.adoptGeneration(adopt);
        }
        try {
          shard.intent().schedule(shard.id(), placement, newScheduling, context);
        } catch (ScheduleException e) {
          log.warn(
              "tenant {} shard {} cannot be rescheduled now: {}",
              tenant,
              shard.id(),
              e.getMessage());
        }
        shard.bumpSequence();
        persistIntent(shard);
      }
    }
    reconciles.request(tenant);
  }

  /**
   * Replaces the tenant config (persisted), which reaches the pageservers without a new generation.
   */
  public void setConfig(TenantId tenant, ObjectNode config) {
    synchronized (state) {
      List<TenantShard> shards = requireTenant(tenant);
      transactions.run(
          "update_tenant_config", () -> persistence.updateConfig(tenant, config.toString()));
      for (TenantShard shard : shards) {
        shard.setConfig(config.deepCopy());
        shard.bumpSequence();
      }
    }
    reconciles.request(tenant);
  }

  /**
   * Detaches every location, deletes the remote data (shard 0 last), then forgets the tenant in
   * Postgres and memory. A delete cut short is repeated by the caller; each step is idempotent.
   */
  public void delete(TenantId tenant) {
    loadIfOnlyStored(tenant);
    setPolicy(tenant, PlacementPolicy.DETACHED, null);
    if (!awaitDetached(tenant, RECONCILE_TIMEOUT)) {
      throw ApiError.unavailable(
          "tenant " + tenant + " still has locations on pageservers; retry the delete");
    }
    remoteDeletion.delete(requireTenant(tenant).stream().map(TenantShard::id).toList());
    synchronized (state) {
      transactions.run("delete_tenant", () -> persistence.deleteTenant(tenant));
      state.removeTenant(tenant);
    }
    log.info("deleted tenant {}", tenant);
  }

  /**
   * A delete cut short leaves the tenant Detached, and Detached tenants are not loaded at start-up:
   * the caller's repeated delete must still find it and finish, not answer 404 over rows left in
   * the database.
   */
  private void loadIfOnlyStored(TenantId tenant) {
    if (state.hasTenant(tenant)) {
      return;
    }
    List<TenantShardRow> rows =
        transactions.execute("load_tenant", () -> persistence.loadTenant(tenant));
    synchronized (state) {
      for (TenantShardRow row : rows) {
        if (state.shard(row.id()).isEmpty()) {
          state.load(row);
        }
      }
    }
    if (!rows.isEmpty()) {
      log.info("tenant {}: loaded {} detached shards to finish their delete", tenant, rows.size());
    }
  }

  public List<TenantShard> requireTenant(TenantId tenant) {
    List<TenantShard> shards = state.tenant(tenant);
    if (shards.isEmpty()) {
      throw ApiError.notFound("Tenant " + tenant + " not found");
    }
    return shards;
  }

  private boolean awaitDetached(TenantId tenant, Duration timeout) {
    return await(
        timeout,
        () ->
            state.read(
                () ->
                    state.tenant(tenant).stream()
                        .allMatch(s -> s.observed().locations().isEmpty())));
  }

  /** Polls the condition until it holds (true) or the timeout passes (false). */
  private static boolean await(Duration timeout, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ApiError.shuttingDown();
      }
    }
    return true;
  }

  private List<TenantShard> existing(TenantId tenant, TenantCreateRequest request) {
    List<TenantShard> shards = state.tenant(tenant);
    if (!shards.get(0).id().shardCount().equals(request.shardCount())) {
      throw ApiError.conflict(
          "tenant "
              + tenant
              + " already exists with "
              + shards.get(0).id().shardCount().count()
              + " shards");
    }
    return shards;
  }

  /** Builds and schedules the shards; on failure releases every scheduler count taken. */
  private static ReentrantLock[] newLocks(int count) {
    ReentrantLock[] locks = new ReentrantLock[count];
    for (int i = 0; i < count; i++) {
      locks[i] = new ReentrantLock();
    }
    return locks;
  }

  private void releaseLocked(List<TenantShard> created) {
    synchronized (state) {
      release(created);
    }
  }

  private List<TenantShard> schedule(TenantCreateRequest request) {
    TenantId tenant = request.newTenantId().tenantId();
    String az = state.scheduler().preferredAzForNewTenant();
    // Neon: a tenant created attached starts at generation 0 unless told otherwise; one
    // onboarded as Secondary or Detached has none until its first attach.
    Generation generation =
        request.generation() != null
            ? request.generation()
            : request.placementPolicy() instanceof PlacementPolicy.Attached
                ? Generation.of(0)
                : null;
    List<TenantShard> shards = new ArrayList<>();
    ScheduleContext context = new ScheduleContext();
    try {
      for (int n = 0; n < request.shardCount().count(); n++) {
        TenantShardId id = new TenantShardId(tenant, ShardNumber.of(n), request.shardCount());
        TenantShard shard =
            state.newShard(
                new TenantShardRow(
                    id,
                    request.stripeSize(),
                    generation,
                    null,
                    request.placementPolicy(),
                    false,
                    request.config().toString(),
                    ShardSchedulingPolicy.ACTIVE,
                    az,
                    null,
                    List.of()));
        shards.add(shard);
        shard
            .intent()
            .schedule(id, request.placementPolicy(), ShardSchedulingPolicy.ACTIVE, context);
      }
    } catch (ScheduleException e) {
      release(shards);
      throw ApiError.conflict("cannot schedule tenant " + tenant + ": " + e.getMessage());
    }
    return shards;
  }

  private static void release(List<TenantShard> shards) {
    shards.forEach(s -> s.intent().clear());
  }

  private void persistIntent(TenantShard shard) {
    NodeId attached = shard.intent().attached();
    List<NodeId> secondaries = List.copyOf(shard.intent().secondaries());
    transactions.run(
        "update_tenant_shard", () -> persistence.updateIntent(shard.id(), attached, secondaries));
  }
}
