package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's {@code cancel-drain}, {@code cancel-fill} and {@code node-cancel-delete}: each cancels a
 * node's running operation, held mid-way by a failpoint (a delay, so the cancel lands while it
 * runs), then waits for the node's scheduling policy to say it stopped.
 */
class StorconCancelTest extends FleetTest {
  static final String DELAY = "5000";

  Storcon storcon;

  @BeforeEach
  void storcon() {
    storcon = new Storcon(baseUrl());
  }

  @AfterEach
  void failpointsOff() {
    api.put(
        "/debug/v1/failpoints",
        "[{\"name\":\"sleepy-drain-loop\",\"actions\":\"off\"},"
            + "{\"name\":\"sleepy-fill-loop\",\"actions\":\"off\"},"
            + "{\"name\":\"node-delete-pre-batch\",\"actions\":\"off\"}]");
  }

  void failpoint(String name, String actions) {
    api.failpoint(name, actions);
  }

  /** A node with attached shards: shard 0's of a six-shard tenant with a secondary each. */
  long nodeWithShards() {
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 6, 1).status()).isEqualTo(201);
    return api.get("/control/v1/tenant/" + tenant)
        .json()
        .get("shards")
        .get(0)
        .get("node_attached")
        .asLong();
  }

  String policy(long node) {
    return api.get("/control/v1/node/" + node).json().path("scheduling").asString();
  }

  /** The newest operation of this kind on the node. */
  JsonNode operation(String kind, long node) {
    for (JsonNode op : api.get("/control/v1/operations?limit=50").json()) {
      if (op.path("kind").asString().equals(kind)
          && op.path("target").asString().equals("node/" + node)) {
        return op;
      }
    }
    throw new AssertionError("no " + kind + " of node " + node);
  }

  @Test
  void cancelDrainLeavesTheNodeActive() {
    long node = nodeWithShards();
    failpoint("sleepy-drain-loop", "return(" + DELAY + ")");
    storcon.ok("start-drain", "--node-id", String.valueOf(node));
    assertThat(policy(node)).isEqualTo("Draining");

    Storcon.Run cancelled =
        storcon.ok("cancel-drain", "--node-id", String.valueOf(node), "--timeout", "60s");
    assertThat(cancelled.err())
        .contains("Waiting for node " + node + " to quiesce on scheduling policy");
    assertThat(cancelled.out())
        .contains("Drain was cancelled for node " + node + ". Scheduling policy is now Active");
    assertThat(policy(node)).isEqualTo("Active");
    assertThat(operation("drain", node).path("state").asString()).isEqualTo("cancelled");
  }

  @Test
  void cancelFillLeavesTheNodeActive() {
    long node = nodeWithShards();
    storcon.ok("node-drain", "--node-id", String.valueOf(node), "--wait", "--timeout", "60s");
    storcon.ok("node-configure", "--node-id", String.valueOf(node), "--scheduling", "active");
    failpoint("sleepy-fill-loop", "return(" + DELAY + ")");
    storcon.ok("start-fill", "--node-id", String.valueOf(node));
    assertThat(policy(node)).isEqualTo("Filling");

    Storcon.Run cancelled =
        storcon.ok("cancel-fill", "--node-id", String.valueOf(node), "--timeout", "60s");
    assertThat(cancelled.out())
        .contains("Fill was cancelled for node " + node + ". Scheduling policy is now Active");
    assertThat(policy(node)).isEqualTo("Active");
    assertThat(operation("fill", node).path("state").asString()).isEqualTo("cancelled");
  }

  @Test
  void nodeCancelDeleteKeepsTheNode() {
    long node = nodeWithShards();
    failpoint("node-delete-pre-batch", "sleep(" + DELAY + ")");
    storcon.ok("node-start-delete", "--node-id", String.valueOf(node));
    assertThat(policy(node)).isEqualTo("Deleting");

    Storcon.Run cancelled =
        storcon.ok("node-cancel-delete", "--node-id", String.valueOf(node), "--timeout", "60s");
    assertThat(cancelled.out())
        .contains("Delete was cancelled for node " + node + ". Scheduling policy is now Active");
    assertThat(api.get("/control/v1/node/" + node).status()).isEqualTo(200);
    assertThat(operation("delete", node).path("state").asString()).isEqualTo("cancelled");
  }

  @Test
  void aCancelThatDoesNotSettleInTimeExitsOneAndTheCancelStillHolds() {
    long node = nodeWithShards();
    failpoint("node-delete-pre-batch", "pause");
    storcon.ok("node-start-delete", "--node-id", String.valueOf(node));

    Storcon.Run waited =
        storcon.run("node-cancel-delete", "--node-id", String.valueOf(node), "--timeout", "1s");
    assertThat(waited.status()).as(waited.toString()).isEqualTo(1);
    assertThat(waited.err())
        .contains("node " + node + " is still Deleting after 1s; the cancel may be retried");

    // The cancel was delivered: once the step it waits in goes on, the deletion stops there.
    failpoint("node-delete-pre-batch", "off");
    ControllerProcess.await(
        DEADLINE, () -> policy(node).equals("Active"), "node " + node + " Active again");
    ControllerProcess.await(
        DEADLINE,
        () -> operation("delete", node).path("state").asString().equals("cancelled"),
        "the deletion of node " + node + " cancelled");
    assertThat(api.get("/control/v1/node/" + node).status()).isEqualTo(200);
  }
}
