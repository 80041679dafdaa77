package io.storagecontroller.migration;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.shard.ShardDraft;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The intent side of a live migration: validating it, moving the shard's attached intent to the
 * destination and holding the shard for the migrating operation, giving the attachment back when a
 * migration stops before its point of no return, and releasing the shard when it ends.
 */
@Component
public class ShardMigrations {
  private static final Logger log = LoggerFactory.getLogger(ShardMigrations.class);

  private final ShardStore store;
  private final NodeService nodes;
  private final Failpoints failpoints;

  public ShardMigrations(ShardStore store, NodeService nodes, Failpoints failpoints) {
    this.store = store;
    this.nodes = nodes;
    this.failpoints = failpoints;
  }

  /**
   * A migration that was begun: {@code origin} is null when no location needs handing over (the
   * shard was not attached anywhere reachable), and then a plain reconcile does the move.
   */
  public record Begun(TenantShardId shard, NodeId origin, NodeId destination) {
    public boolean handsOver() {
      return origin != null;
    }
  }

  /**
   * Checks an operator's migration without changing anything; empty when the shard is already
   * attached to the destination. Refusals name what is wrong.
   */
  public Optional<Begun> check(
      TenantShardId id, NodeId destination, NodeId expectedOrigin, boolean overrideScheduler) {
    Node target = requireNode(destination);
    ShardView shard = store.shard(id).orElseThrow(() -> notFound(id));
    return validate(shard, target, expectedOrigin, overrideScheduler)
        ? Optional.of(new Begun(id, handOverFrom(shard), destination))
        : Optional.empty();
  }

  /**
   * Validates the migration again and moves the intent; when a live hand-over follows, the shard is
   * held by {@code operationId} until {@link #end} (without an operation, a migration that turns
   * out to need a hand-over is refused: the caller checked it did not). Empty when the shard is
   * already attached to the destination.
   */
  public Optional<Begun> begin(
      TenantShardId id,
      NodeId destination,
      NodeId expectedOrigin,
      boolean overrideScheduler,
      Long operationId) {
    Node target = requireNode(destination);
    return store.change(
        id.tenantId(),
        "update_tenant_shard",
        edit -> {
          ShardDraft shard = edit.shard(id).orElseThrow(() -> notFound(id));
          if (!validate(shard.before(), target, expectedOrigin, overrideScheduler)) {
            return Optional.empty();
          }
          if (operationId == null && handOverFrom(shard.before()) != null) {
            throw Refusal.conflict(
                "Tenant shard " + id + " became attached on a reachable node meanwhile; retry");
          }
          return Optional.of(moveIntent(shard, destination, operationId));
        });
  }

  /**
   * Moves the intent of a shard a drain or fill chose (its planner validated it), holding the shard
   * for that operation when a live hand-over follows. Call from inside the store's edit.
   */
  public Begun beginPlanned(ShardDraft shard, NodeId destination, long operationId) {
    return moveIntent(shard, destination, operationId);
  }

  /**
   * Gives the attachment back to the origin (a migration stopped before the destination got a
   * generation); the destination stays a secondary only if it was one before.
   */
  public void revert(TenantShardId id, NodeId origin, NodeId destination) {
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_REVERT);
    store.change(
        id.tenantId(),
        "update_tenant_shard",
        edit -> {
          edit.shard(id)
              .filter(shard -> destination.equals(shard.intent().attached()))
              .ifPresent(
                  shard -> {
                    if (shard.intent().secondaries().contains(origin)) {
                      shard.intent().promoteSecondary(origin);
                    } else {
                      shard.intent().setAttached(origin);
                    }
                    log.info("{}: attached intent back on node {}", id, origin);
                  });
          return null;
        });
  }

  /**
   * Neon's {@code migrate_secondary}: the shard's secondary locations become this one node (the
   * reconcile that follows warms it and detaches the others). Returns false when it already is the
   * only secondary. 400 for an unknown node, the attached node, or a shard whose placement keeps no
   * secondary; 412 for a node that may not take shards; 409 while the shard is held or splitting.
   */
  public boolean moveSecondaries(TenantShardId id, NodeId destination, boolean overrideScheduler) {
    Node target = requireNode(destination);
    return store.change(
        id.tenantId(),
        "update_tenant_shard",
        edit -> {
          ShardDraft shard = edit.shard(id).orElseThrow(() -> notFound(id));
          ShardView before = shard.before();
          if (destination.equals(before.attached())) {
            // Neon's answer: nothing to do (200), the node already holds more than a secondary.
            log.info(
                "{}: secondary asked for on node {}, which holds its attachment", id, destination);
            return false;
          }
          if (!(before.policy() instanceof PlacementPolicy.Attached attached)
              || attached.secondaries() < 1) {
            throw Refusal.badRequest(
                "Tenant shard "
                    + id
                    + " has placement policy "
                    + before.policy()
                    + " and keeps no secondary location");
          }
          if (before.splitting() || before.held()) {
            throw Refusal.conflict("Tenant shard " + id + " is being moved or split; retry later");
          }
          if (!overrideScheduler && !store.scheduler().mayScheduleOn(target.id())) {
            throw Refusal.preconditionFailed(
                "Node "
                    + destination
                    + " is not schedulable (availability "
                    + target.availability()
                    + ", scheduling "
                    + target.scheduling()
                    + ")");
          }
          if (before.secondaries().equals(List.of(destination))) {
            return false;
          }
          for (NodeId secondary : List.copyOf(shard.intent().secondaries())) {
            shard.intent().removeSecondary(secondary);
          }
          shard.intent().addSecondary(destination);
          log.info("{}: secondary location moved to node {}", id, destination);
          return true;
        });
  }

  /** Whether an operation holds the shard (every workflow migration's does, until it ends). */
  public boolean held(TenantShardId id) {
    return store.shard(id).map(ShardView::held).orElse(false);
  }

  /** The migration ended: the shard is the reconciler's again, if {@code operationId} held it. */
  public void end(TenantShardId id, long operationId) {
    store.change(
        id.tenantId(),
        "release_shard",
        edit -> {
          edit.shard(id)
              .filter(shard -> Long.valueOf(operationId).equals(shard.heldBy()))
              .ifPresent(ShardDraft::release);
          return null;
        });
  }

  /**
   * Migrations ended together (a window of a drain or fill): those of these shards {@code
   * operationId} holds are the reconciler's again, in one transaction.
   */
  public void endAll(Collection<TenantShardId> ids, long operationId) {
    Map<TenantId, List<TenantShardId>> byTenant = new LinkedHashMap<>();
    ids.forEach(id -> byTenant.computeIfAbsent(id.tenantId(), t -> new ArrayList<>()).add(id));
    store.changeEach(
        byTenant.keySet(),
        "release_shards",
        (tenant, edit) -> {
          for (TenantShardId id : byTenant.get(tenant)) {
            edit.shard(id)
                .filter(shard -> Long.valueOf(operationId).equals(shard.heldBy()))
                .ifPresent(ShardDraft::release);
          }
          return Boolean.TRUE;
        });
  }

  /** Neon's refusals, in Neon's order; false when the shard is already where it should go. */
  private boolean validate(
      ShardView shard, Node target, NodeId expectedOrigin, boolean overrideScheduler) {
    TenantShardId id = shard.id();
    if (!(shard.policy() instanceof PlacementPolicy.Attached)) {
      throw Refusal.preconditionFailed(
          "Tenant shard "
              + id
              + " has placement policy "
              + shard.policy()
              + " and cannot be migrated");
    }
    if (shard.splitting()) {
      throw Refusal.conflict("Tenant shard " + id + " is splitting");
    }
    if (shard.held()) {
      throw Refusal.conflict(
          "Tenant shard "
              + id
              + " is already migrating to node "
              + shard.attached()
              + " (held by operation "
              + shard.heldBy()
              + ")");
    }
    if (expectedOrigin != null && !expectedOrigin.equals(shard.attached())) {
      throw Refusal.preconditionFailed(
          "Tenant shard " + id + " is attached to " + shard.attached() + ", not " + expectedOrigin);
    }
    if (!overrideScheduler && !store.scheduler().mayScheduleOn(target.id())) {
      throw Refusal.preconditionFailed(
          "Node "
              + target.id()
              + " is not schedulable (availability "
              + target.availability()
              + ", scheduling "
              + target.scheduling()
              + ")");
    }
    if (target.id().equals(shard.attached())) {
      return false;
    }
    NodeId origin = shard.attached();
    if (origin != null
        && nodes
            .find(origin)
            .map(n -> n.availability() == NodeAvailability.WARMING_UP)
            .orElse(false)) {
      // It just re-attached and still serves the shard, but is not called until its first
      // heartbeat: moving now would attach the destination without stepping the origin down.
      throw Refusal.unavailable(
          "Node " + origin + " is warming up after a restart; retry the migration shortly");
    }
    return true;
  }

  private Begun moveIntent(ShardDraft shard, NodeId destination, Long operationId) {
    NodeId origin = handOverFrom(shard.before());
    NodeId previous = shard.intent().attached();
    if (shard.intent().secondaries().contains(destination)) {
      shard.intent().promoteSecondary(destination);
    } else {
      shard.intent().setAttached(destination);
    }
    if (origin != null) {
      shard.holdFor(operationId);
    }
    log.info(
        "{}: attached intent moves from node {} to node {}", shard.id(), previous, destination);
    return new Begun(shard.id(), origin, destination);
  }

  /** The node to hand the attachment over from: attached there, reachable and confirmed. */
  private NodeId handOverFrom(ShardView shard) {
    NodeId origin = shard.attached();
    boolean handOver =
        origin != null
            && nodes.availableNodes().contains(origin)
            && shard.confirmed(origin).map(LocationConfig::inAttachedMode).orElse(false);
    return handOver ? origin : null;
  }

  private static Refusal notFound(TenantShardId id) {
    return Refusal.notFound("Tenant shard " + id + " not found");
  }

  private Node requireNode(NodeId destination) {
    return nodes
        .find(destination)
        .orElseThrow(() -> Refusal.badRequest("Node " + destination + " not found"));
  }
}
