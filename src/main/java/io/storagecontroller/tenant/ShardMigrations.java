package io.storagecontroller.tenant;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.persistence.SerializableTransactions;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The intent side of a live migration: moving a shard's attached intent to the destination
 * (persisted first), marking the shard as owned by its migration, and moving it back when a
 * migration is cancelled before the destination got a generation.
 */
@Component
public class ShardMigrations {
  private static final Logger log = LoggerFactory.getLogger(ShardMigrations.class);

  private final ServiceState state;
  private final NodeService nodes;
  private final TenantShardPersistence persistence;
  private final SerializableTransactions transactions;

  public ShardMigrations(
      ServiceState state,
      NodeService nodes,
      TenantShardPersistence persistence,
      SerializableTransactions transactions) {
    this.state = state;
    this.nodes = nodes;
    this.persistence = persistence;
    this.transactions = transactions;
  }

  /**
   * A migration that was begun: {@code origin} is null when no location needs handing over (the
   * shard was not attached anywhere reachable), and then a plain reconcile does the move.
   */
  public record Begun(TenantShardId shard, NodeId origin, NodeId destination) {}

  /**
   * Validates an operator's migration and moves the intent; empty when the shard is already
   * attached to the destination. Refusals name what is wrong and change nothing.
   */
  public Optional<Begun> begin(
      TenantShardId id, NodeId destination, NodeId expectedOrigin, boolean overrideScheduler) {
    Node target =
        nodes
            .find(destination)
            .orElseThrow(() -> ApiError.badRequest("Node " + destination + " not found"));
    synchronized (state) {
      TenantShard shard =
          state.shard(id).orElseThrow(() -> ApiError.notFound("Tenant shard " + id + " not found"));
      if (!(shard.policy() instanceof PlacementPolicy.Attached)) {
        throw ApiError.preconditionFailed(
            "Tenant shard "
                + id
                + " has placement policy "
                + shard.policy()
                + " and cannot be migrated");
      }
      if (shard.splitting()) {
        throw ApiError.conflict("Tenant shard " + id + " is splitting");
      }
      if (shard.migrating()) {
        throw ApiError.conflict(
            "Tenant shard " + id + " is already migrating to node " + shard.migratingTo());
      }
      if (expectedOrigin != null && !expectedOrigin.equals(shard.intent().attached())) {
        throw ApiError.preconditionFailed(
            "Tenant shard "
                + id
                + " is attached to "
                + shard.intent().attached()
                + ", not "
                + expectedOrigin);
      }
      if (!overrideScheduler && !state.scheduler().mayScheduleOn(destination)) {
        throw ApiError.preconditionFailed(
            "Node "
                + destination
                + " is not schedulable (availability "
                + target.availability()
                + ", scheduling "
                + target.scheduling()
                + ")");
      }
      if (destination.equals(shard.intent().attached())) {
        return Optional.empty();
      }
      NodeId origin = shard.intent().attached();
      if (origin != null
          && nodes
              .find(origin)
              .map(n -> n.availability() == NodeAvailability.WARMING_UP)
              .orElse(false)) {
        // It just re-attached and still serves the shard, but is not called until its first
        // heartbeat: moving now would attach the destination without stepping the origin down.
        throw ApiError.unavailable(
            "Node " + origin + " is warming up after a restart; retry the migration shortly");
      }
      return Optional.of(moveIntent(shard, destination));
    }
  }

  /**
   * Moves the intent of a shard a drain or fill chose (already validated by its planner); call
   * under the state's monitor.
   */
  public Begun beginPlanned(TenantShard shard, NodeId destination) {
    return moveIntent(shard, destination);
  }

  private Begun moveIntent(TenantShard shard, NodeId destination) {
    NodeId origin = shard.intent().attached();
    if (shard.intent().secondaries().contains(destination)) {
      shard.intent().promoteSecondary(destination);
    } else {
      shard.intent().setAttached(destination);
    }
    shard.bumpSequence();
    persistIntent(shard);
    boolean handOver =
        origin != null
            && nodes.availableNodes().contains(origin)
            && shard.observed().confirmed(origin).map(LocationConfig::inAttachedMode).orElse(false);
    if (handOver) {
      shard.setMigratingTo(destination);
    }
    log.info("{}: attached intent moves from node {} to node {}", shard.id(), origin, destination);
    return new Begun(shard.id(), handOver ? origin : null, destination);
  }

  /**
   * Gives the attachment back to the origin (a migration stopped before the destination got a
   * generation); the destination stays a secondary only if it was one before.
   */
  public void revert(TenantShardId id, NodeId origin, NodeId destination) {
    synchronized (state) {
      Optional<TenantShard> found = state.shard(id);
      if (found.isEmpty() || !destination.equals(found.get().intent().attached())) {
        return;
      }
      TenantShard shard = found.get();
      if (shard.intent().secondaries().contains(origin)) {
        shard.intent().promoteSecondary(origin);
      } else {
        shard.intent().setAttached(origin);
      }
      shard.bumpSequence();
      persistIntent(shard);
      log.info("{}: attached intent back on node {}", id, origin);
    }
  }

  /** The migration workflow ended: the shard is the reconciler's again. */
  public void end(TenantShardId id) {
    state.update(id, s -> s.setMigratingTo(null));
  }

  private void persistIntent(TenantShard shard) {
    NodeId attached = shard.intent().attached();
    List<NodeId> secondaries = List.copyOf(shard.intent().secondaries());
    transactions.run(
        "update_tenant_shard", () -> persistence.updateIntent(shard.id(), attached, secondaries));
  }
}
