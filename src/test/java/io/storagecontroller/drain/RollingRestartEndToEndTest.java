package io.storagecontroller.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's graceful cluster restart: drain, restart and fill every node of a three-node fleet while a
 * watcher checks that every tenant stays attached somewhere the whole time.
 */
class RollingRestartEndToEndTest extends FleetTest {
  static final int TENANTS = 200;
  static final Duration OPERATION_DEADLINE = Duration.ofMinutes(3);

  @Test
  void drainRestartAndFillEveryNodeKeepsEveryTenantAttachedAndRestoresBalance() throws Exception {
    List<TenantShardId> shards = new ArrayList<>();
    for (int i = 0; i < TENANTS; i++) {
      TenantId tenant = TenantId.generate();
      assertThat(create(tenant, 0, 1).status()).isEqualTo(201);
      shards.add(TenantShardId.unsharded(tenant));
    }
    List<String> unattached = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> watchAttachments(shards, watching, unattached));
    watcher.start();
    try {
      for (SimulatedPageserver ps : fleet.pageservers()) {
        long node = ps.nodeId().value();
        JsonNode drain = runToEnd(node, "drain");
        assertThat(drain.get("state").asString()).as(drain.toString()).isEqualTo("succeeded");
        assertThat(policy(node)).isEqualTo("PauseForRestart");
        assertThat(attachedPerNode().getOrDefault(node, 0L)).isZero();

        ps.restart();
        ControllerProcess.await(
            OPERATION_DEADLINE, () -> "Active".equals(policy(node)), "node " + node + " back");
        ControllerProcess.await(
            OPERATION_DEADLINE,
            () -> "Active".equals(node(node).path("availability").asString()),
            "node " + node + " available");

        JsonNode fill = runToEnd(node, "fill");
        assertThat(fill.get("state").asString()).as(fill.toString()).isEqualTo("succeeded");
        assertThat(policy(node)).isEqualTo("Active");
      }
    } finally {
      watching.set(false);
      watcher.join();
    }
    assertThat(unattached).as("tenants found without an attached location").isEmpty();
    Map<Long, Long> attached = attachedPerNode();
    assertThat(attached.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(TENANTS);
    long spread =
        attached.values().stream().mapToLong(Long::longValue).max().orElseThrow()
            - attached.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    assertThat(spread)
        .as("max-min attached per node: %s", attached)
        .isLessThanOrEqualTo(TENANTS / 20);
    assertConsistent();
  }

  /** Starts the operation, then waits for its row to leave running. */
  private JsonNode runToEnd(long node, String kind) {
    Response started = api.put("/control/v1/node/" + node + "/" + kind, "");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    assertThat(started.body()).isEqualTo("null");
    long id = latest(kind, node).get("id").asLong();
    ControllerProcess.await(
        OPERATION_DEADLINE,
        () ->
            !"running"
                .equals(api.get("/control/v1/operations/" + id).json().get("state").asString()),
        kind + " of node " + node);
    return api.get("/control/v1/operations/" + id).json();
  }

  private JsonNode latest(String kind, long node) {
    for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
      if (op.get("kind").asString().equals(kind)
          && op.get("target").asString().equals("node/" + node)) {
        return op;
      }
    }
    throw new AssertionError("no " + kind + " operation for node " + node);
  }

  private JsonNode node(long node) {
    return api.get("/control/v1/node/" + node).json();
  }

  private String policy(long node) {
    return node(node).path("scheduling").asString();
  }

  /** Samples the pageservers' own state: some node must hold each shard in an attached mode. */
  private void watchAttachments(
      List<TenantShardId> shards, AtomicBoolean watching, List<String> unattached) {
    while (watching.get()) {
      for (TenantShardId shard : shards) {
        boolean held =
            fleet.pageservers().stream()
                .anyMatch(ps -> ps.location(shard).map(c -> c.inAttachedMode()).orElse(false));
        if (!held) {
          unattached.add(shard.toString());
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
