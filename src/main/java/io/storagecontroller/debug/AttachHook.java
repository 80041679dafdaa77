package io.storagecontroller.debug;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.LocationWriter;
import io.storagecontroller.reconcile.ReconcileMetrics;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.tenant.TenantShardPersistence;
import io.storagecontroller.tenant.TenantShardRow;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generation test API ({@code /debug/v1/attach-hook} and {@code /debug/v1/inspect}): tests that
 * drive pageservers by hand tell the controller where a shard is attached, and get the generation
 * to attach it with. No pageserver is called. As everywhere, generations are issued only by a
 * SERIALIZABLE transaction, and Postgres is written before memory.
 */
@Service
public class AttachHook {
  private static final Logger log = LoggerFactory.getLogger(AttachHook.class);

  private final ServiceState state;
  private final NodeService nodes;
  private final TenantShardPersistence persistence;
  private final SerializableTransactions transactions;
  private final ReconcileMetrics metrics;
  private final LocationWriter writer;

  public AttachHook(
      ServiceState state,
      NodeService nodes,
      TenantShardPersistence persistence,
      SerializableTransactions transactions,
      ReconcileMetrics metrics,
      LocationWriter writer) {
    this.writer = writer;
    this.state = state;
    this.nodes = nodes;
    this.persistence = persistence;
    this.transactions = transactions;
    this.metrics = metrics;
  }

  /**
   * Attaches the shard to {@code node_id} with a new generation (creating the shard, {@code
   * Attached(0)}, if the controller does not know it), or with a null node detaches it.
   */
  public AttachHookResponse attach(AttachHookRequest request) {
    TenantShardId id = request.requireShard();
    Generation initial = request.initialGeneration();
    ObjectNode config = request.tenantConfig();
    NodeId node = request.nodeId();
    // The shard's writer lock orders its own changes; the service-wide lock is held only around
    // memory, never across the database, so attach-hooks of different shards run side by side.
    return writer.asWriter(
        id,
        () -> {
          TenantShard shard;
          synchronized (state) {
            if (node != null
                && (nodes.find(node).isEmpty() || state.scheduler().node(node).isEmpty())) {
              throw ApiError.notFound("Node " + node + " not registered");
            }
            shard = state.shard(id).orElseGet(() -> loadFromDatabase(id));
            if (shard == null || node == null) {
              // Creating or detaching: rare, and done whole under the lock.
              if (shard == null) {
                requireSameShardCount(id);
              }
              if (node == null) {
                detach(id, shard, initial, config);
                return new AttachHookResponse(null);
              }
              return new AttachHookResponse(attach(id, null, node, initial, config));
            }
          }
          return new AttachHookResponse(attach(id, shard, node, initial, config));
        });
  }

  /**
   * The generation the database holds for the shard and the node its intent attaches it to; null
   * when it is attached nowhere (or unknown).
   */
  public InspectResponse inspect(InspectRequest request) {
    if (request.tenantShardId() == null) {
      throw ApiError.badRequest("missing field `tenant_shard_id`");
    }
    TenantShardId id = request.tenantShardId();
    Map<TenantShardId, Generation> stored =
        transactions.execute("shard_generations", () -> persistence.generations(List.of(id)));
    return state.read(
        () -> {
          TenantShard shard = state.shard(id).orElse(null);
          if (shard == null || shard.intent().attached() == null) {
            return InspectResponse.none();
          }
          // The database is the authority on generations; memory catches up after a commit.
          Generation generation = stored.getOrDefault(id, shard.generation());
          return generation == null
              ? InspectResponse.none()
              : InspectResponse.of(generation, shard.intent().attached());
        });
  }

  private Generation attach(
      TenantShardId id, TenantShard existing, NodeId node, Generation initial, ObjectNode config) {
    PlacementPolicy policy;
    List<NodeId> secondaries;
    synchronized (state) {
      policy =
          existing != null && existing.policy() instanceof PlacementPolicy.Attached
              ? existing.policy()
              : PlacementPolicy.attached(0);
      secondaries =
          existing == null
              ? List.of()
              : existing.intent().secondaries().stream().filter(n -> !n.equals(node)).toList();
    }
    TenantShard created =
        existing == null ? state.newShard(newRow(id, initial, policy, config)) : null;
    boolean policyChanged = existing != null && !policy.equals(existing.policy());
    Generation issued;
    try {
      issued =
          transactions.execute(
              "attach_hook",
              () -> {
                if (created != null) {
                  persistence.insert(List.of(created.toRow()));
                } else if (policyChanged) {
                  persistence.updateShardPolicy(id, policy);
                }
                Generation generation =
                    persistence
                        .incrementGeneration(id, node)
                        .orElseThrow(
                            () ->
                                ApiError.notFound("tenant shard " + id + " was deleted meanwhile"));
                persistence.updateIntent(id, node, secondaries);
                return generation;
              });
    } catch (DuplicateKeyException e) {
      throw ApiError.conflict("tenant shard " + id + " was created concurrently; retry");
    }
    synchronized (state) {
      remember(id, created != null ? created : existing, created, node, issued, policy, config);
    }
    metrics.generationsIssued(1);
    log.info("attach-hook: shard {} issued generation {} on node {}", id, issued, node);
    return issued;
  }

  private void remember(
      TenantShardId id,
      TenantShard shard,
      TenantShard created,
      NodeId node,
      Generation issued,
      PlacementPolicy policy,
      ObjectNode config) {
    if (!policy.equals(shard.policy())) {
      shard.setPlacementPolicy(policy);
    }
    shard.generationIssued(issued, node);
    shard.intent().setAttached(node);
    shard.markIntentChanged();
    // What the node holds is whatever the caller put there: if it names the config, the controller
    // takes it as attached with this generation (no reconcile needed); if not, it is unknown.
    // Other nodes' observed locations stay: the next reconcile cleans them up.
    if (config != null) {
      shard
          .observed()
          .set(
              node,
              new LocationConfig(
                  LocationConfigMode.ATTACHED_SINGLE,
                  issued.value(),
                  null,
                  id.shardNumber().value(),
                  id.shardCount().literal(),
                  shard.stripeSize().value(),
                  config));
    } else {
      shard.observed().markUnknown(node);
    }
    if (created != null) {
      state.add(List.of(created));
    }
  }

  private void detach(
      TenantShardId id, TenantShard existing, Generation initial, ObjectNode config) {
    if (existing == null) {
      TenantShard created = state.newShard(newRow(id, initial, PlacementPolicy.DETACHED, config));
      transactions.run("attach_hook", () -> persistence.insert(List.of(created.toRow())));
      created.markIntentChanged();
      state.add(List.of(created));
      log.info("attach-hook: shard {} created detached", id);
      return;
    }
    transactions.run(
        "attach_hook",
        () -> {
          persistence.updateShardPolicy(id, PlacementPolicy.DETACHED);
          persistence.updateIntent(id, null, List.of());
        });
    NodeId previous = existing.intent().attached();
    existing.setPlacementPolicy(PlacementPolicy.DETACHED);
    if (existing.intent().clear()) {
      existing.markIntentChanged();
    }
    log.info("attach-hook: shard {} detached (was attached to {})", id, previous);
  }

  /**
   * A shard the controller does not have in memory may still have a row: Detached tenants are not
   * loaded at start-up. Loads the tenant's missing rows; returns the shard or null.
   */
  private TenantShard loadFromDatabase(TenantShardId id) {
    List<TenantShardRow> rows =
        transactions.execute("load_tenant", () -> persistence.loadTenant(id.tenantId()));
    for (TenantShardRow row : rows) {
      if (state.shard(row.id()).isEmpty()) {
        state.load(row);
      }
    }
    return state.shard(id).orElse(null);
  }

  /** A new shard must not give its tenant shards of two different counts. */
  private void requireSameShardCount(TenantShardId id) {
    for (TenantShard other : state.tenant(id.tenantId())) {
      if (!Objects.equals(other.id().shardCount(), id.shardCount())) {
        throw ApiError.conflict(
            "tenant "
                + id.tenantId()
                + " has shards of count "
                + other.id().shardCount().literal()
                + "; cannot add "
                + id);
      }
    }
  }

  private static TenantShardRow newRow(
      TenantShardId id, Generation generation, PlacementPolicy policy, ObjectNode config) {
    return new TenantShardRow(
        id,
        ShardStripeSize.DEFAULT,
        generation,
        null,
        policy,
        false,
        (config == null ? PageserverJson.mapper().createObjectNode() : config).toString(),
        ShardSchedulingPolicy.ACTIVE,
        null,
        null,
        List.of());
  }
}
