package io.storagecontroller.debug;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.shard.ShardDraft;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.shard.TenantShardRow;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generation test API ({@code /debug/v1/attach-hook} and {@code /debug/v1/inspect}): tests that
 * drive pageservers by hand tell the controller where a shard is attached, and get the generation
 * to attach it with. No pageserver is called. As everywhere, generations are issued only by a
 * SERIALIZABLE transaction of the shard store.
 */
@Service
public class AttachHook {
  private static final Logger log = LoggerFactory.getLogger(AttachHook.class);

  private final ShardStore store;
  private final NodeService nodes;

  public AttachHook(ShardStore store, NodeService nodes) {
    this.store = store;
    this.nodes = nodes;
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
    if (node != null && (nodes.find(node).isEmpty() || store.scheduler().node(node).isEmpty())) {
      throw Refusal.notFound("Node " + node + " not registered");
    }
    // The shard's writer lock orders its own changes, so attach-hooks of one shard never
    // interleave; those of different shards run side by side.
    return store.asWriter(
        id,
        () -> {
          ensureExists(id, initial, node == null ? PlacementPolicy.DETACHED : null, config);
          if (node == null) {
            detach(id);
            return new AttachHookResponse(null);
          }
          return new AttachHookResponse(attach(id, node, config));
        });
  }

  /**
   * The generation the database holds for the shard and the node its intent attaches it to; null
   * when it is attached nowhere (or unknown).
   */
  public InspectResponse inspect(InspectRequest request) {
    if (request.tenantShardId() == null) {
      throw Refusal.badRequest("missing field `tenant_shard_id`");
    }
    TenantShardId id = request.tenantShardId();
    Map<TenantShardId, Generation> stored = store.storedGenerations(List.of(id));
    Optional<ShardView> shard = store.shard(id);
    if (shard.isEmpty() || shard.get().attached() == null) {
      return InspectResponse.none();
    }
    // The database is the authority on generations; memory catches up after a commit.
    Generation generation = stored.getOrDefault(id, shard.get().generation());
    return generation == null
        ? InspectResponse.none()
        : InspectResponse.of(generation, shard.get().attached());
  }

  /**
   * A shard the controller does not have (every stored shard is in memory from start-up) is
   * created, {@code Attached(0)} unless {@code policy} says otherwise.
   */
  private void ensureExists(
      TenantShardId id, Generation initial, PlacementPolicy policy, ObjectNode config) {
    if (store.shard(id).isPresent()) {
      return;
    }
    requireSameShardCount(id);
    try {
      store.addShard(
          newRow(id, initial, policy != null ? policy : PlacementPolicy.attached(0), config));
    } catch (DuplicateKeyException e) {
      throw Refusal.conflict("tenant shard " + id + " was created concurrently; retry");
    }
    log.info("attach-hook: shard {} created", id);
  }

  private Generation attach(TenantShardId id, NodeId node, ObjectNode config) {
    Generation issued =
        store
            .issueGeneration(id, node)
            .orElseThrow(() -> Refusal.notFound("tenant shard " + id + " was deleted meanwhile"));
    store.change(
        id.tenantId(),
        "attach_hook",
        edit -> {
          ShardDraft shard =
              edit.shard(id)
                  .orElseThrow(
                      () -> Refusal.notFound("tenant shard " + id + " was deleted meanwhile"));
          if (!(shard.policy() instanceof PlacementPolicy.Attached)) {
            shard.setPolicy(PlacementPolicy.attached(0));
          }
          shard.intent().removeSecondary(node);
          shard.intent().setAttached(node);
          // As Neon's: the controller takes the node to hold the shard attached with this
          // generation and the config the caller named (the shard's own when none), so no
          // reconcile follows (tests drive the pageserver by hand). Other nodes' locations stay:
          // the next reconcile cleans them up.
          shard.observe(
              node,
              new LocationConfig(
                  LocationConfigMode.ATTACHED_SINGLE,
                  issued.value(),
                  null,
                  id.shardNumber().value(),
                  id.shardCount().literal(),
                  shard.before().stripeSize().value(),
                  config != null ? config : shard.config()));
          return null;
        });
    log.info("attach-hook: shard {} issued generation {} on node {}", id, issued, node);
    return issued;
  }

  private void detach(TenantShardId id) {
    store.change(
        id.tenantId(),
        "attach_hook",
        edit -> {
          edit.shard(id)
              .ifPresent(
                  shard -> {
                    shard.setPolicy(PlacementPolicy.DETACHED);
                    shard.intent().clear();
                  });
          return null;
        });
    log.info("attach-hook: shard {} detached", id);
  }

  /** A new shard must not give its tenant shards of two different counts. */
  private void requireSameShardCount(TenantShardId id) {
    for (ShardView other : store.tenant(id.tenantId())) {
      if (!Objects.equals(other.id().shardCount(), id.shardCount())) {
        throw Refusal.conflict(
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
        List.of(),
        null);
  }
}
