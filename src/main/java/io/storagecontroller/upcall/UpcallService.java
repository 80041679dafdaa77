package io.storagecontroller.upcall;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.ReconcileMetrics;
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

  public UpcallService(
      NodeService nodes,
      ServiceState state,
      TenantShardPersistence persistence,
      SerializableTransactions transactions,
      ReconcileMetrics metrics) {
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
    nodes.resetSchedulingOnReAttach(node);
    synchronized (state) {
      bumped = transactions.execute("re_attach", () -> persistence.incrementGenerationsOf(node));
      Set<TenantShardId> attachedHere = new HashSet<>();
      for (TenantShardRow row : bumped) {
        attachedHere.add(row.id());
        tenants.add(
            new ReAttachResponse.Tenant(
                row.id(),
                row.generation().value(),
                LocationConfigMode.ATTACHED_SINGLE,
                row.stripeSize().value()));
        state.update(row.id(), shard -> observeAttached(shard, node, row.generation()));
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

  private void observeAttached(TenantShard shard, NodeId node, Generation generation) {
    shard.generationIssued(generation, node);
    shard
        .observed()
        .set(node, ShardReconcilePlanner.wantedAttached(snapshot(shard), generation.value()));
  }

  private ShardSnapshot snapshot(TenantShard shard) {
    return state.snapshot(shard, Set.of());
  }
}
