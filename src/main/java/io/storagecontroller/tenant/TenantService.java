package io.storagecontroller.tenant;

import io.storagecontroller.leadership.Leadership;
import io.storagecontroller.leadership.LeadershipStatus;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.reconcile.ShardReconcilePlanner;
import io.storagecontroller.scheduler.ScheduleContext;
import io.storagecontroller.scheduler.ScheduleException;
import io.storagecontroller.shard.ShardDraft;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.TenantEdit;
import io.storagecontroller.shard.TenantShardRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tenant lifecycle: create (all or nothing), placement policy and config changes, delete. Each
 * change is an edit of the tenant in the shard store, followed by a request for its reconcile.
 */
@Service
public class TenantService {
  private static final Logger log = LoggerFactory.getLogger(TenantService.class);

  /** Neon's RECONCILE_TIMEOUT: how long API calls wait for pageservers to match a new intent. */
  static final Duration RECONCILE_TIMEOUT = Duration.ofSeconds(30);

  private final ShardStore store;
  private final NodeService nodes;
  private final ReconcileRequests reconciles;
  private final RemoteTenantDeletion remoteDeletion;

  private final Leadership leadership;

  public TenantService(
      ShardStore store,
      NodeService nodes,
      ReconcileRequests reconciles,
      RemoteTenantDeletion remoteDeletion,
      Leadership leadership) {
    this.leadership = leadership;
    this.store = store;
    this.nodes = nodes;
    this.reconciles = reconciles;
    this.remoteDeletion = remoteDeletion;
  }

  /**
   * Creates every shard of the tenant or none: if any shard cannot be scheduled the answer is a 409
   * and neither memory nor Postgres keeps anything. Waits (bounded) for the pageservers to attach.
   */
  public List<ShardView> create(TenantCreateRequest request) {
    return create(request, RECONCILE_TIMEOUT);
  }

  /** As {@link #create(TenantCreateRequest)}, waiting at most {@code wait} for the pageservers. */
  public List<ShardView> create(TenantCreateRequest request, Duration wait) {
    TenantId tenant = request.newTenantId().tenantId();
    ShardStore.Created created;
    try {
      created =
          store.create(
              tenant,
              "insert_tenant_shards",
              rows(request),
              edit -> {
                ScheduleContext context = new ScheduleContext();
                for (ShardDraft shard : edit.shards()) {
                  shard
                      .intent()
                      .schedule(
                          shard.id(),
                          request.placementPolicy(),
                          ShardSchedulingPolicy.ACTIVE,
                          context);
                }
              });
    } catch (ScheduleException e) {
      throw Refusal.conflict("cannot schedule tenant " + tenant + ": " + e.getMessage());
    } catch (DuplicateKeyException e) {
      throw Refusal.conflict("tenant " + tenant + " already exists");
    }
    if (!created.created()) {
      return existing(tenant, created.shards(), request);
    }
    log.info(
        "created tenant {} with {} shards, policy {}",
        tenant,
        created.shards().size(),
        request.placementPolicy());
    reconciles.request(tenant);
    awaitReconciled(tenant, wait);
    return store.tenant(tenant);
  }

  /**
   * Waits until the tenant's pageservers match its intent, or the timeout passes, or this
   * controller steps down (its reconciles stop then); true if clean.
   */
  public boolean awaitReconciled(TenantId tenant, Duration timeout) {
    boolean clean =
        await(
            tenant,
            timeout,
            () -> {
              if (leadership.status() == LeadershipStatus.STEPPED_DOWN) {
                return true;
              }
              Set<NodeId> available = nodes.availableNodes();
              return store.tenantClean(
                  tenant, available, shard -> ShardReconcilePlanner.isDirty(shard, available));
            });
    if (leadership.status() == LeadershipStatus.STEPPED_DOWN) {
      // Its reconciles stopped with the step-down; the next leader reconciles what is stored.
      log.info("tenant {}: stepped down while waiting for its reconcile", tenant);
      return false;
    }
    if (!clean) {
      log.warn("tenant {} not reconciled within {}", tenant, timeout);
    }
    return clean;
  }

  /** Sets placement and scheduling policy for every shard (persisted), then reschedules. */
  public void setPolicy(
      TenantId tenant, PlacementPolicy placement, ShardSchedulingPolicy scheduling) {
    store.change(
        tenant,
        "update_tenant_shard",
        edit -> {
          ShardDraft first = requireShards(edit).get(0);
          PlacementPolicy newPlacement = placement != null ? placement : first.policy();
          ShardSchedulingPolicy newScheduling =
              scheduling != null
                  ? scheduling
                  // Neon: leaving attached placement without naming a scheduling policy makes it
                  // Active.
                  : placement != null && !(placement instanceof PlacementPolicy.Attached)
                      ? ShardSchedulingPolicy.ACTIVE
                      : first.schedulingPolicy();
          reschedule(edit, newPlacement, newScheduling);
          return null;
        });
    reconciles.request(tenant);
  }

  /**
   * Neon's bulk {@code preferred_azs}: each listed shard's home AZ (null: none), persisted, then in
   * memory. Shards that do not exist are skipped; returns the ones updated. Nothing moves at once:
   * the optimiser brings attachments home.
   */
  public List<TenantShardId> setPreferredAzs(Map<TenantShardId, String> azs) {
    Map<TenantId, Map<TenantShardId, String>> byTenant = new TreeMap<>();
    azs.forEach(
        (id, az) ->
            byTenant.computeIfAbsent(id.tenantId(), t -> new LinkedHashMap<>()).put(id, az));
    List<TenantShardId> updated = new ArrayList<>();
    for (Map.Entry<TenantId, Map<TenantShardId, String>> tenant : byTenant.entrySet()) {
      if (!store.hasTenant(tenant.getKey())) {
        continue;
      }
      updated.addAll(
          store.change(
              tenant.getKey(),
              "set_preferred_azs",
              edit -> {
                List<TenantShardId> done = new ArrayList<>();
                tenant
                    .getValue()
                    .forEach(
                        (id, az) ->
                            edit.shard(id)
                                .ifPresent(
                                    shard -> {
                                      shard.intent().setPreferredAz(az);
                                      done.add(id);
                                    }));
                return done;
              }));
    }
    return updated;
  }

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
    store.change(
        tenant,
        "update_tenant_shard",
        edit -> {
          ShardSchedulingPolicy newScheduling =
              scheduling != null ? scheduling : requireShards(edit).get(0).schedulingPolicy();
          for (ShardDraft shard : edit.shards()) {
            shard.setConfig(config.deepCopy());
            if (adopt != null) {
              shard.adoptGeneration(adopt);
            }
          }
          reschedule(edit, placement, newScheduling);
          return null;
        });
    reconciles.request(tenant);
  }

  /**
   * Replaces the tenant config (persisted), which reaches the pageservers without a new generation.
   */
  public void setConfig(TenantId tenant, ObjectNode config) {
    store.change(
        tenant,
        "update_tenant_config",
        edit -> {
          requireShards(edit).forEach(s -> s.setConfig(config.deepCopy()));
          return null;
        });
    reconciles.request(tenant);
  }

  /**
   * Detaches every location, deletes the remote data (shard 0 last), then forgets the tenant in
   * Postgres and memory. A delete cut short is repeated by the caller; each step is idempotent.
   */
  public void delete(TenantId tenant) {
    // A delete cut short leaves the tenant Detached; it is loaded at start-up like any other, so
    // the caller's repeated delete finds it and finishes.
    setPolicy(tenant, PlacementPolicy.DETACHED, null);
    if (!await(
        tenant,
        RECONCILE_TIMEOUT,
        () -> store.tenant(tenant).stream().allMatch(s -> s.observed().isEmpty()))) {
      throw Refusal.unavailable(
          "tenant " + tenant + " still has locations on pageservers; retry the delete");
    }
    remoteDeletion.delete(requireTenant(tenant).stream().map(ShardView::id).toList());
    store.deleteTenant(tenant);
    log.info("deleted tenant {}", tenant);
  }

  /** The tenant's shards in shard order; 404 when it is unknown. */
  public List<ShardView> requireTenant(TenantId tenant) {
    List<ShardView> shards = store.tenant(tenant);
    if (shards.isEmpty()) {
      throw notFound(tenant);
    }
    return shards;
  }

  /**
   * Gives every shard the policies and places it accordingly. A shard that cannot be placed now
   * keeps what it has; the sweep's reconcile retries once a node can take it.
   */
  private static void reschedule(
      TenantEdit edit, PlacementPolicy placement, ShardSchedulingPolicy scheduling) {
    ScheduleContext context = new ScheduleContext();
    for (ShardDraft shard : edit.shards()) {
      shard.setPolicy(placement);
      shard.setSchedulingPolicy(scheduling);
      try {
        shard.intent().schedule(shard.id(), placement, scheduling, context);
      } catch (ScheduleException e) {
        log.warn("{} cannot be rescheduled now: {}", shard.id(), e.getMessage());
      }
    }
  }

  private static List<ShardDraft> requireShards(TenantEdit edit) {
    if (edit.shards().isEmpty()) {
      throw notFound(edit.tenant());
    }
    return edit.shards();
  }

  private static Refusal notFound(TenantId tenant) {
    return Refusal.notFound("Tenant " + tenant + " not found");
  }

  /**
   * Waits until the condition holds (true) or the timeout passes (false), looking again as the
   * tenant's shards change.
   */
  private boolean await(TenantId tenant, Duration timeout, BooleanSupplier condition) {
    try {
      return store.awaitTenant(tenant, timeout, condition);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Refusal.shuttingDown();
    }
  }

  private static List<ShardView> existing(
      TenantId tenant, List<ShardView> shards, TenantCreateRequest request) {
    if (!shards.get(0).id().shardCount().equals(request.shardCount())) {
      throw Refusal.conflict(
          "tenant "
              + tenant
              + " already exists with "
              + shards.get(0).id().shardCount().count()
              + " shards");
    }
    return shards;
  }

  /** The new tenant's rows, before placement. */
  private List<TenantShardRow> rows(TenantCreateRequest request) {
    TenantId tenant = request.newTenantId().tenantId();
    String az = store.scheduler().preferredAzForNewTenant();
    // Neon: a tenant created attached starts at generation 0 unless told otherwise; one
    // onboarded as Secondary or Detached has none until its first attach.
    Generation generation =
        request.generation() != null
            ? request.generation()
            : request.placementPolicy() instanceof PlacementPolicy.Attached
                ? Generation.of(0)
                : null;
    List<TenantShardRow> rows = new ArrayList<>();
    for (int n = 0; n < request.shardCount().count(); n++) {
      rows.add(
          new TenantShardRow(
              new TenantShardId(tenant, ShardNumber.of(n), request.shardCount()),
              request.stripeSize(),
              generation,
              null,
              request.placementPolicy(),
              false,
              request.config().toString(),
              ShardSchedulingPolicy.ACTIVE,
              az,
              null,
              List.of(),
              null));
    }
    return rows;
  }
}
