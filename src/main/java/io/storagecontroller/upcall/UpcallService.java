package io.storagecontroller.upcall;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.reconcile.ReconcileRequests;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
  private final ShardStore store;
  private final ReconcileRequests reconciles;

  public UpcallService(NodeService nodes, ShardStore store, ReconcileRequests reconciles) {
    this.nodes = nodes;
    this.store = store;
    this.reconciles = reconciles;
  }

  /**
   * A pageserver (re)starts: in one transaction every shard whose generation it holds gets a new
   * one; the answer lists those and the secondaries its intent gives it. Observed state is updated
   * to what the pageserver will now hold, so no reconcile follows needlessly (Neon's #6814).
   */
  public ReAttachResponse reAttach(ReAttachRequest request) {
    if (request.nodeId() == null) {
      throw Refusal.badRequest("missing field `node_id`");
    }
    NodeId node = request.nodeId();
    if (request.register() != null) {
      if (!node.equals(request.register().nodeId())) {
        throw Refusal.badRequest("node_id and register.node_id differ");
      }
      nodes.register(request.register());
    }
    Node known = nodes.get(node);
    nodes.resetSchedulingOnReAttach(node);
    List<ShardStore.ReAttached> answer = store.reAttach(node, nodes.availableNodes());
    List<ReAttachResponse.Tenant> tenants = new ArrayList<>(answer.size());
    Set<TenantId> steppingDown = new LinkedHashSet<>();
    int attached = 0;
    for (ShardStore.ReAttached shard : answer) {
      if (shard.mode() == LocationConfigMode.ATTACHED_MULTI) {
        steppingDown.add(shard.id().tenantId());
      }
      if (shard.generation() != null) {
        attached++;
      }
      tenants.add(
          new ReAttachResponse.Tenant(
              shard.id(),
              shard.generation() == null ? null : shard.generation().value(),
              shard.mode(),
              shard.stripeSize().value()));
    }
    nodes.setAvailability(node, NodeAvailability.WARMING_UP);
    steppingDown.forEach(reconciles::request);
    log.info(
        "node {} ({}) re-attached: {} attached shards with new generations, {} secondaries",
        node,
        known.address().httpBaseUrl(),
        attached,
        tenants.size() - attached);
    return new ReAttachResponse(tenants);
  }

  /**
   * A generation is valid only if it matches both memory and the database (Neon's #8784: a
   * controller must not trust memory alone). Shards the controller does not know are omitted, not
   * declared invalid.
   */
  public ValidateResponse validate(ValidateRequest request) {
    if (request.tenants() == null) {
      throw Refusal.badRequest("missing field `tenants`");
    }
    List<TenantShardId> ids = request.tenants().stream().map(ValidateRequest.Tenant::id).toList();
    Map<TenantShardId, Generation> stored = store.storedGenerations(ids);
    List<ValidateResponse.Tenant> verdicts = new ArrayList<>();
    for (ValidateRequest.Tenant asked : request.tenants()) {
      Generation inDb = stored.get(asked.id());
      if (inDb == null) {
        continue;
      }
      if (asked.gen() > inDb.value()) {
        store.generationReported(asked.id(), inDb, asked.gen());
      }
      Generation inMemory = store.shard(asked.id()).map(ShardView::generation).orElse(null);
      boolean valid =
          inDb.value() == asked.gen() && inMemory != null && inMemory.value() == asked.gen();
      verdicts.add(new ValidateResponse.Tenant(asked.id(), valid));
    }
    return new ValidateResponse(verdicts);
  }
}
