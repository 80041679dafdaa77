package io.storagecontroller.upcall;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.LocationWriter;
import io.storagecontroller.reconcile.ReconcileMetrics;
import io.storagecontroller.reconcile.ReconcileTrigger;
import io.storagecontroller.reconcile.ShardReconcilePlanner;
import io.storagecontroller.reconcile.ShardSnapshot;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.TenantShard;
import io.storagecontroller.tenant.TenantShardPersistence;
import io.storagecontroller.tenant.TenantShardRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** The pageservers' calls: re-attach at start-up and validate before deleting objects. */
@Service
public class UpcallService {
  private static final Logger log = LoggerFactory.getLogger(UpcallService.class);

  private final NodeService nodes;
  private final ServiceState state;
  private final TenantShardPersistence persistence;
  private final SerializableTransactions transactions;
  private final ReconcileMetrics metrics;
  private final ReconcileTrigger reconciles;

  public UpcallService(
      NodeService nodes,
      ServiceState state,
      TenantShardPersistence persistence,
      SerializableTransactions transactions,
      ReconcileMetrics metrics,
      ReconcileTrigger reconciles) {
    this.reconciles = reconciles;
    this.nodes = nodes;
    this.state = state;
    this.persistence = persistence;
    this.transactions = transactions;
    this.metrics = metrics;
  }

  /**
   * A pageserver (re)starts: in one transaction every shard whose generation it holds gets a new
   * one; the answer lists those and the secondaries its intent gives it. Observed state is updated
   * to what the pageserver will now hold, so no reconcile follows needlessly (Neon's #6814).
   */
  public ReAttachResponse reAttach(ReAttachRequest request) {
    if (request.nodeId() == null) {
      throw ApiError.badRequest("missing field `node_id`");
    }
    NodeId node = request.nodeId();
    if (request.register() != null) {
      if (!node.equals(request.register().nodeId())) {
        throw ApiError.badRequest("node_id and register.node_id differ");
      }
      nodes.register(request.register());
    }
    Node known = nodes.get(node);
    List<TenantShardRow> bumped;
    List<ReAttachResponse.Tenant> tenants = new ArrayList<>();
    Set<TenantId> steppingDown = new HashSet<>();
    nodes.resetSchedulingOnReAttach(node);
    synchronized (state) {
      bumped = transactions.execute("re_attach", () -> persistence.incrementGenerationsOf(node));
      Set<TenantShardId> attachedHere = new HashSet<>();
      Set<NodeId> available = nodes.availableNodes();
      for (TenantShardRow row : bumped) {
        attachedHere.add(row.id());
        LocationConfigMode mode =
            state.shard(row.id()).map(s -> attachedElsewhere(s, node, available)).orElse(false)
                ? LocationConfigMode.ATTACHED_MULTI
                : LocationConfigMode.ATTACHED_SINGLE;
        if (mode == LocationConfigMode.ATTACHED_MULTI) {
          steppingDown.add(row.id().tenantId());
        }
        tenants.add(
            new ReAttachResponse.Tenant(
                row.id(), row.generation().value(), mode, row.stripeSize().value()));
        state.update(row.id(), shard -> observeAttached(shard, node, row.generation(), mode));
      }
      for (TenantShard shard : state.all()) {
        if (attachedHere.contains(shard.id())) {
          continue;
        }
        if (shard.intent().secondaries().contains(node)) {
          tenants.add(
              new ReAttachResponse.Tenant(
                  shard.id(), null, LocationConfigMode.SECONDARY, shard.stripeSize().value()));
          shard.observed().set(node, ShardReconcilePlanner.wantedSecondary(snapshot(shard)));
        } else if (shard.observed().locations().containsKey(node)) {
          // The pageserver drops whatever the answer does not list.
          shard.observed().remove(node);
        }
      }
    }
    metrics.generationsIssued(bumped.size());
    nodes.setAvailability(node, NodeAvailability.WARMING_UP);
    steppingDown.forEach(reconciles::request);
    log.info(
        "node {} ({}) re-attached: {} attached shards with new generations, {} secondaries",
        node,
        known.address().httpBaseUrl(),
        bumped.size(),
        tenants.size() - bumped.size());
    return new ReAttachResponse(tenants);
  }

  /**
   * A generation is valid only if it matches both memory and the database (Neon's #8784: a
   * controller must not trust memory alone). Shards the controller does not know are omitted, not
   * declared invalid.
   */
  public ValidateResponse validate(ValidateRequest request) {
    if (request.tenants() == null) {
      throw ApiError.badRequest("missing field `tenants`");
    }
    List<TenantShardId> ids = request.tenants().stream().map(ValidateRequest.Tenant::id).toList();
    Map<TenantShardId, Generation> stored =
        transactions.execute("shard_generations", () -> persistence.generations(ids));
    List<ValidateResponse.Tenant> verdicts = new ArrayList<>();
    for (ValidateRequest.Tenant asked : request.tenants()) {
      Generation inDb = stored.get(asked.id());
      if (inDb == null) {
        continue;
      }
      Generation inMemory =
          state.read(() -> state.shard(asked.id()).map(TenantShard::generation).orElse(null));
      boolean valid =
          inDb.value() == asked.gen() && inMemory != null && inMemory.value() == asked.gen();
      verdicts.add(new ValidateResponse.Tenant(asked.id(), valid));
    }
    return new ValidateResponse(verdicts);
  }

  /**
   * Another reachable node is known to hold the shard attached (left behind by a move the
   * controller has not finished cleaning up, e.g. across its own restart). The re-attaching node
   * then gets AttachedMulti, not AttachedSingle, and a reconcile steps the other one down first:
   * two nodes never both believe they are the only one.
   */
  private static boolean attachedElsewhere(TenantShard shard, NodeId node, Set<NodeId> available) {
    return shard.observed().locations().entrySet().stream()
        .anyMatch(
            held ->
                !held.getKey().equals(node)
                    && available.contains(held.getKey())
                    && held.getValue()
                        .map(
                            c ->
                                c.mode() == LocationConfigMode.ATTACHED_SINGLE
                                    || c.mode() == LocationConfigMode.ATTACHED_MULTI)
                        .orElse(false));
  }

  private void observeAttached(
      TenantShard shard, NodeId node, Generation generation, LocationConfigMode mode) {
    shard.generationIssued(generation, node);
    shard
        .observed()
        .set(
            node,
            LocationWriter.withMode(
                ShardReconcilePlanner.wantedAttached(snapshot(shard), generation.value()),
                generation,
                mode));
  }

  private ShardSnapshot snapshot(TenantShard shard) {
    return state.snapshot(shard, Set.of());
  }
}
