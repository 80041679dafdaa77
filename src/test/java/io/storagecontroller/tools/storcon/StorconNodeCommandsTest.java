package io.storagecontroller.tools.storcon;

import static io.storagecontroller.tools.storcon.StorconNodesAndTenantsTest.rowOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Ids;
import io.storagecontroller.testing.Storcon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Neon's node commands that end a node: the obsolete synchronous {@code node-delete}, {@code
 * node-start-delete}, {@code node-drop}, and the tombstones they leave ({@code node-tombstones},
 * {@code node-delete-tombstone}). Each runs on a node registered at an address nothing listens on,
 * so the fleet's own nodes stay as they are.
 */
class StorconNodeCommandsTest extends FleetTest {
  static final String AZ = "az-storcon-nodes";

  Storcon storcon;

  @BeforeEach
  void storcon() {
    storcon = new Storcon(baseUrl());
  }

  Storcon.Run register(long id) {
    return storcon.run(
        "node-register",
        "--node-id",
        String.valueOf(id),
        "--listen-pg-addr",
        "127.0.0.1",
        "--listen-pg-port",
        "1",
        "--listen-http-addr",
        "127.0.0.1",
        "--listen-http-port",
        "1",
        "--availability-zone-id",
        AZ);
  }

  long registered() {
    long id = Ids.nodeId();
    Storcon.Run run = register(id);
    assertThat(run.status()).as(run.toString()).isZero();
    return id;
  }

  boolean tombstoned(long id) {
    return api.get("/debug/v1/tombstone").json().findValues("id").stream()
        .anyMatch(n -> n.asLong() == id);
  }

  @Test
  void theObsoleteNodeDeleteTombstonesTheNodeAndDeletingTheTombstoneFreesItsId() {
    long id = registered();
    String node = String.valueOf(id);

    Storcon.Run deleted = storcon.ok("node-delete", "--node-id", node);
    // Neon's warning, on standard error; the result on standard output.
    assertThat(deleted.err()).contains("obsolete", "node-start-delete");
    assertThat(deleted.out()).contains("node " + id + " deleted");
    assertThat(api.get("/control/v1/node/" + id).status()).isEqualTo(404);

    Storcon.Run tombstones = storcon.ok("node-tombstones");
    // The nodes table, as Neon's.
    assertThat(tombstones.out().lines().toList().get(1)).startsWith("| Id ");
    assertThat(rowOf(tombstones.out(), node)).contains("127.0.0.1:1", AZ);
    JsonNode json =
        StorconNodesAndTenantsTest.JSON.readTree(storcon.ok("--json", "node-tombstones").out());
    assertThat(json.findValues("id").stream().map(JsonNode::asLong)).contains(id);
    // A tombstoned id cannot register again...
    Storcon.Run refused = register(id);
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("409", "tombstoned");

    Storcon.Run untombstoned = storcon.ok("node-delete-tombstone", "--node-id", node);
    assertThat(untombstoned.out()).contains("tombstone of node " + id + " deleted");
    assertThat(tombstoned(id)).isFalse();
    // ...until its tombstone is deleted.
    try {
      assertThat(register(id).status()).isZero();
      assertThat(api.get("/control/v1/node/" + id).status()).isEqualTo(200);
    } finally {
      api.post("/debug/v1/node/" + id + "/drop", "");
    }
  }

  @Test
  void nodeStartDeleteIsTheGracefulDeletion() {
    long id = registered();
    Storcon.Run deleted =
        storcon.ok(
            "node-start-delete", "--node-id", String.valueOf(id), "--wait", "--timeout", "60s");
    assertThat(deleted.out()).contains("delete node/" + id + " succeeded");
    assertThat(api.get("/control/v1/node/" + id).status()).isEqualTo(404);
    assertThat(tombstoned(id)).isTrue();
  }

  @Test
  void nodeDropNeedsUncleanThenForgetsTheNode() {
    long id = registered();
    String node = String.valueOf(id);

    Storcon.Run declined = storcon.run("node-drop", "--node-id", node);
    assertThat(declined.status()).as(declined.toString()).isEqualTo(1);
    assertThat(declined.err()).startsWith("storcon: ").contains("--unclean");
    assertThat(api.get("/control/v1/node/" + id).status()).isEqualTo(200);

    Storcon.Run dropped = storcon.ok("node-drop", "--node-id", node, "--unclean");
    assertThat(dropped.out()).contains("node " + id + " dropped");
    assertThat(api.get("/control/v1/node/" + id).status()).isEqualTo(404);
    assertThat(storcon.ok("nodes").out()).doesNotContainPattern("(?m)^" + id + " ");
    assertThat(tombstoned(id)).isTrue();

    Storcon.Run unknown = storcon.run("node-drop", "--node-id", node, "--unclean");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("404");
  }
}
