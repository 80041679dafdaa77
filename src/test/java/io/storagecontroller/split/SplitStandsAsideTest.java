package io.storagecontroller.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A split whose workflow resumes after its operation was repaired as interrupted, while another
 * operation holds the tenant, stands aside: it neither splits a parent on its pageserver nor
 * commits the other operation's split.
 */
class SplitStandsAsideTest extends SplitFleetTest {
  @Autowired ShardSplits splits;
  @Autowired ShardSplitSteps steps;
  @Autowired OperationLog operations;

  @Test
  void aSplitThatNoLongerHoldsTheTenantNeitherSplitsNorCommits() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 0).status()).isEqualTo(201);
    awaitSettled();
    // The stale split was repaired as interrupted; the tenant's current split holds it now.
    long stale = operations.start("split", tenant.toString(), "test/stale/" + tenant, 2, null);
    operations.finish(stale, Operation.FAILED, "interrupted");
    long holder = operations.start("split", tenant.toString(), "test/" + tenant, 2, null);
    SplitStart start = splits.begin(holder, tenant, ShardCount.of(4), null);
    long callsBefore = locationCalls(tenant);
    try {
      assertThatThrownBy(
              () -> steps.splitOnPageserver(stale, start.parents().get(0), ShardCount.of(4), null))
          .isInstanceOf(StepFailure.class)
          .hasMessageContaining("stands aside");
      assertThatThrownBy(
              () ->
                  splits.complete(
                      stale,
                      tenant,
                      start.oldCount(),
                      ShardCount.of(4),
                      start.childStripe(),
                      start.parents()))
          .isInstanceOf(SplitNoLongerPending.class)
          .hasMessageContaining("no longer holds");
      assertThat(shardIds(tenant)).hasSize(2);
      assertThat(
              fleet.pageservers().stream()
                  .flatMap(ps -> ps.requests().stream())
                  .noneMatch(r -> r.uri().endsWith("/shard_split")))
          .isTrue();
      assertThat(locationCalls(tenant)).isEqualTo(callsBefore);
    } finally {
      splits.abort(tenant, ShardCount.of(4), start.parents());
      operations.finish(holder, Operation.FAILED, "test over");
      api.delete("/v1/tenant/" + tenant);
    }
  }
}
