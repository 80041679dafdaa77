package io.storagecontroller.http.tenant;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.orchestration.OperationService;
import io.storagecontroller.orchestration.ShardSplitService;
import io.storagecontroller.split.ShardSplitRequest;
import io.storagecontroller.split.ShardSplitResponse;
import io.storagecontroller.split.SplitParameters;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /control/v1/tenant/:tenant_id/shard_split} (Neon's, synchronous: it answers when the
 * split is done) and, beyond Neon, {@code DELETE} on the same path to cancel a running split.
 */
@RestController
public class ShardSplitController {
  /** Phases after the commit: a split there can only complete. */
  private static final Set<String> COMMITTED = Set.of("committed", "reconciling_children");

  private final ShardSplitService splits;
  private final OperationService operations;

  public ShardSplitController(ShardSplitService splits, OperationService operations) {
    this.splits = splits;
    this.operations = operations;
  }

  @PutMapping("/control/v1/tenant/{tenant_id}/shard_split")
  @RequestName("control_v1_tenant_shard_split")
  ShardSplitResponse split(
      @PathVariable("tenant_id") TenantId tenant, @RequestBody ShardSplitRequest request) {
    if (request.newShardCount() == null) {
      throw Refusal.badRequest("missing field `new_shard_count`");
    }
    return new ShardSplitResponse(
        splits.split(
            tenant, new SplitParameters(request.newShardCount(), request.newStripeSize())));
  }

  /**
   * 202 with the split's operation: it stops before its commit and rolls back (poll the operation
   * for the outcome); 409 once committed, 404 when no split runs.
   */
  @DeleteMapping("/control/v1/tenant/{tenant_id}/shard_split")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @RequestName("control_v1_tenant_shard_split_cancel")
  Operation cancel(@PathVariable("tenant_id") TenantId tenant) {
    Operation running =
        splits
            .running(tenant)
            .orElseThrow(() -> Refusal.notFound("No shard split is running for tenant " + tenant));
    if (COMMITTED.contains(running.phase())) {
      throw Refusal.conflict(
          "The split of tenant " + tenant + " is committed: it completes and cannot be cancelled");
    }
    return operations.cancel(running.id());
  }
}
