package io.storagecontroller.split;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Failures at each phase of a split, in process: before the commit the tenant is rolled back to its
 * parents with nothing lost, after it the split completes. The safety record is checked after every
 * test (FleetTest), consistency here.
 */
class ShardSplitFailureTest extends SplitFleetTest {
  TenantId tenant;
  List<TenantShardId> parents;
  List<TenantShardId> children;
  TimelineId timeline;

  /** A tenant of two shards, on two nodes, with a timeline: to split into four. */
  void twoShardTenant() {
    tenant = TenantId.generate();
    assertThat(create(tenant, 2, 1).status()).isEqualTo(201);
    timeline = createTimeline(tenant);
    parents = shardIds(tenant);
    children = SplitChildren.ofAll(parents, ShardCount.of(4));
  }

  long attachedNode(TenantShardId shard) {
    for (JsonNode s : api.get("/control/v1/tenant/" + shard.tenantId()).json().get("shards")) {
      if (s.get("tenant_shard_id").asString().equals(shard.toString())) {
        return s.get("node_attached").asLong();
      }
    }
    throw new AssertionError(shard + " not found");
  }

  void assertRolledBack(String state) {
    awaitSettled();
    assertExactly(tenant, parents);
    assertTimelines(tenant, List.of(timeline));
    assertPlacedAsIntended(tenant, 1);
    JsonNode op = latestSplit(tenant);
    assertThat(op.get("state").asString()).isEqualTo(state);
    assertThat(op.get("phase").asString()).isEqualTo("rolled_back");
  }

  @Test
  void aPageserverErrorRollsBackAndARetrySplits() {
    // A tenant of the same shape must not notice the other's rollback (Neon's #11837).
    TenantId bystander = TenantId.generate();
    assertThat(create(bystander, 2, 1).status()).isEqualTo(201);
    List<TenantShardId> bystanderShards = shardIds(bystander);
    List<Long> bystanderGenerations = bystanderShards.stream().map(this::storedGeneration).toList();
    twoShardTenant();
    // The second parent's pageserver refuses the split after the first parent split.
    SimulatedPageserver second = fleet.pageserver(attachedNode(parents.get(1)));
    second.fault(Fault.failingRoute("/shard_split", 500));

    Response failed = split(tenant, 4);

    assertThat(failed.status()).as(failed.body()).isEqualTo(409);
    assertThat(failed.msg()).contains("HTTP 500", "rolled back");
    second.clearFaults();
    assertRolledBack("failed");
    assertThat(latestSplit(tenant).get("error").asString()).contains("HTTP 500");
    assertExactly(bystander, bystanderShards);
    assertThat(bystanderShards.stream().map(this::storedGeneration).toList())
        .isEqualTo(bystanderGenerations);

    // Retry through the operations API re-runs the same split.
    long failedId = latestSplit(tenant).get("id").asLong();
    Response retried = api.post("/control/v1/operations/" + failedId + "/retry", "");
    assertThat(retried.status()).as(retried.body()).isEqualTo(202);
    long retryId = retried.json().get("id").asLong();
    ControllerProcess.await(
        DEADLINE,
        () ->
            "succeeded"
                .equals(
                    api.get("/control/v1/operations/" + retryId).json().get("state").asString()),
        "the retried split");
    awaitSettled();
    assertExactly(tenant, children);
    assertTimelines(tenant, List.of(timeline));
  }

  @Test
  void aFailureJustBeforeTheCommitRemovesEveryChild() {
    twoShardTenant();
    failpoint("shard-split-pre-complete", "return");

    Response failed = split(tenant, 4);

    assertThat(failed.status()).as(failed.body()).isEqualTo(409);
    assertThat(latestSplit(tenant).get("progress_done").asInt()).isEqualTo(2);
    assertRolledBack("failed");
  }

  @Test
  void aFailureAfterTheCommitCompletesTheSplit() {
    twoShardTenant();
    failpoint("shard-split-post-complete", "return");

    Response done = split(tenant, 4);

    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(ids(done)).containsExactlyElementsOf(children);
    awaitSettled();
    assertExactly(tenant, children);
    assertTimelines(tenant, List.of(timeline));
    assertThat(latestSplit(tenant).get("state").asString()).isEqualTo("succeeded");
  }

  @Test
  void aPageserverKilledMidSplitRollsBackAndItsShardMoves() {
    twoShardTenant();
    long victim = attachedNode(parents.get(1));
    failpoint("shard-split-post-remote", "pause");
    CompletableFuture<Response> answer = splitInBackground(tenant, 4);
    awaitParentsSplit(tenant, 1);

    fleet.pageserver(victim).crash();
    failpoint("shard-split-post-remote", "off");

    assertThat(answer.join().status()).isEqualTo(409);
    // The crashed node goes offline; its parent is evacuated to a live node.
    ControllerProcess.await(
        DEADLINE, () -> attachedNode(parents.get(1)) != victim, "the parent moved off " + victim);
    fleet.pageserver(victim).start();
    assertRolledBack("failed");
  }

  /**
   * A split rolled back while the node that split a parent is cut off cannot remove the children
   * there; the node comes back without restarting (so no re-attach drops them), and its scan on
   * becoming active detaches them.
   */
  @Test
  void childrenLeftOnAPartitionedNodeAreDetachedWhenItComesBack() {
    twoShardTenant();
    long victim = attachedNode(parents.get(0));
    failpoint("shard-split-post-remote", "pause");
    CompletableFuture<Response> answer = splitInBackground(tenant, 4);
    awaitParentsSplit(tenant, 1);
    SimulatedPageserver cutOff = fleet.pageserver(victim);
    assertThat(cutOff.location(children.get(0))).isPresent();

    cutOff.fault(Fault.down());
    ControllerProcess.await(
        DEADLINE,
        () ->
            "Offline"
                .equals(
                    api.get("/control/v1/node/" + victim).json().path("availability").asString()),
        "node " + victim + " offline");
    long id = latestSplit(tenant).get("id").asLong();
    assertThat(api.post("/control/v1/operations/" + id + "/cancel", "").status()).isEqualTo(202);
    failpoint("shard-split-post-remote", "off");
    assertThat(answer.join().status()).isEqualTo(409);
    assertThat(cutOff.location(children.get(0))).as("still there while cut off").isPresent();

    cutOff.clearFaults();
    ControllerProcess.await(
        DEADLINE,
        () -> cutOff.location(children.get(0)).isEmpty(),
        "the children detached from node " + victim);
    assertRolledBack("cancelled");
  }

  /**
   * The parent's pageserver restarts (and re-attaches, taking a new generation) while the split is
   * held at each of its steps: the split rolls back or completes, never leaves children made at a
   * generation the parent no longer holds, and the tenant ends exactly its parents or its children.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "shard-split-post-begin",
        "shard-split-post-remote",
        "shard-split-pre-complete",
        "shard-split-post-complete"
      })
  void aParentsPageserverRestartedAtAnyStepLeavesOneWholeTenant(String step) {
    twoShardTenant();
    long node = attachedNode(parents.get(0));
    long generationBefore = storedGeneration(parents.get(0));
    failpoint(step, "pause");
    CompletableFuture<Response> answer = splitInBackground(tenant, 4);
    awaitHeldAt(step);

    fleet.pageserver(node).restart();
    ControllerProcess.await(
        DEADLINE,
        () -> {
          Long now = storedGeneration(parents.get(0));
          return (now != null && now > generationBefore)
              || storedGeneration(children.get(0)) != null;
        },
        "the restarted pageserver re-attached");
    failpoint(step, "off");

    Response done = answer.join();
    assertThat(done.status()).as(done.body()).isIn(200, 409);
    // The node finishes warming up on its next heartbeat; what it holds is repaired then.
    List<TenantShardId> expected = done.status() == 200 ? children : parents;
    ControllerProcess.await(
        DEADLINE,
        () -> {
          try {
            assertExactly(tenant, expected);
            return true;
          } catch (AssertionError notYet) {
            return false;
          }
        },
        "the tenant exactly " + expected);
    awaitSettled();
    assertExactly(tenant, expected);
    assertTimelines(tenant, List.of(timeline));
    if (done.status() == 409) {
      assertThat(latestSplit(tenant).get("phase").asString()).isEqualTo("rolled_back");
    }
    if (step.equals("shard-split-post-complete")) {
      assertThat(done.status()).isEqualTo(200);
    }
  }

  /** Waits until the split reached the step whose failpoint holds it. */
  private void awaitHeldAt(String step) {
    int split = step.equals("shard-split-post-begin") ? 0 : step.endsWith("post-remote") ? 1 : 2;
    String phase =
        switch (step) {
          case "shard-split-post-begin" -> "validated";
          case "shard-split-post-complete" -> "committed";
          default -> "splitting_on_pageservers";
        };
    ControllerProcess.await(
        DEADLINE,
        () -> {
          JsonNode op = latestSplit(tenant);
          return op != null
              && phase.equals(op.path("phase").asString(null))
              && op.get("progress_done").asInt() >= split;
        },
        "the split held at " + step);
  }

  @Test
  void whileSplittingTheTenantIsGuardedAndACancelRollsItBack() {
    twoShardTenant();
    failpoint("shard-split-post-remote", "pause");
    CompletableFuture<Response> answer = splitInBackground(tenant, 4);
    awaitParentsSplit(tenant, 1);

    // Visible as a stuck split, with its phase and workflow id.
    JsonNode op = latestSplit(tenant);
    assertThat(op.get("state").asString()).isEqualTo("running");
    assertThat(op.get("phase").asString()).isEqualTo("splitting_on_pageservers");
    assertThat(op.get("workflow_id").asString()).isEqualTo("split/" + tenant);
    assertThat(
            api.get("/control/v1/tenant/" + tenant)
                .json()
                .get("shards")
                .get(0)
                .get("is_splitting")
                .asBoolean())
        .isTrue();
    // APIs that need the tenant attached refuse clearly; the sweep leaves it alone.
    long other =
        fleet.pageservers().stream()
            .map(p -> p.nodeId().value())
            .filter(n -> n != attachedNode(parents.get(0)))
            .findFirst()
            .orElseThrow();
    assertThat(
            api.put(
                    "/control/v1/tenant/" + parents.get(0) + "/migrate",
                    "{\"node_id\":%d}".formatted(other))
                .status())
        .isEqualTo(409);
    Response timelineCreate =
        api.post(
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":16}".formatted(TimelineId.generate()));
    assertThat(timelineCreate.status()).isEqualTo(503);
    assertThat(timelineCreate.msg()).contains("split");
    Response again = split(tenant, 8);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.msg()).contains("mid-split");
    assertThat(api.get("/v1/tenant/" + tenant + "/timeline").status()).isEqualTo(503);
    long callsBefore = locationCalls(tenant);
    api.post("/debug/v1/reconcile_all", "");
    assertThat(locationCalls(tenant)).isEqualTo(callsBefore);

    Response cancel = api.post("/control/v1/operations/" + op.get("id").asLong() + "/cancel", "");
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    failpoint("shard-split-post-remote", "off");

    Response cancelled = answer.join();
    assertThat(cancelled.status()).isEqualTo(409);
    assertThat(cancelled.msg()).contains("cancelled");
    assertRolledBack("cancelled");
  }

  @Test
  void theTenantRouteCancelsToo() {
    twoShardTenant();
    failpoint("shard-split-post-begin", "pause");
    CompletableFuture<Response> answer = splitInBackground(tenant, 4);
    ControllerProcess.await(
        DEADLINE,
        () -> {
          JsonNode op = latestSplit(tenant);
          return op != null && "validated".equals(op.path("phase").asString(null));
        },
        "the split begun");

    Response cancel = api.delete("/control/v1/tenant/" + tenant + "/shard_split");
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    assertThat(cancel.json().get("kind").asString()).isEqualTo("split");
    failpoint("shard-split-post-begin", "off");

    assertThat(answer.join().status()).isEqualTo(409);
    assertRolledBack("cancelled");
    assertThat(latestSplit(tenant).get("progress_done").asInt()).isZero();
    assertThat(api.delete("/control/v1/tenant/" + tenant + "/shard_split").status()).isEqualTo(404);
  }
}
