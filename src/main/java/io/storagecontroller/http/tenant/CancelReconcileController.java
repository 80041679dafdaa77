package io.storagecontroller.http.tenant;

import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.orchestration.Reconciles;
import io.storagecontroller.shard.ShardStore;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Neon's {@code cancel_reconcile}: stops the reconcile under way for the shard's tenant (after its
 * current step). The shard's intent is unchanged, so the next sweep reconciles it again; a move
 * held by an operation is cancelled through the operations API instead.
 */
@RestController
public class CancelReconcileController {
  private final ShardStore store;
  private final Reconciles reconciles;

  public CancelReconcileController(ShardStore store, Reconciles reconciles) {
    this.store = store;
    this.reconciles = reconciles;
  }

  @PutMapping("/control/v1/tenant/{tenant_shard_id}/cancel_reconcile")
  @RequestName("control_v1_tenant_cancel_reconcile")
  ResponseEntity<String> cancel(@PathVariable("tenant_shard_id") TenantShardId shard) {
    if (store.shard(shard).isEmpty()) {
      throw Refusal.notFound("Tenant shard " + shard + " not found");
    }
    reconciles.cancel(shard.tenantId());
    return NullBody.ok();
  }
}
