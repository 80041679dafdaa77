package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code storcon node-drain} and {@code node-fill} with {@code --wait}: the progress bar drawn on a
 * (fake) terminal while the operation runs, then the node emptied and refilled.
 */
class StorconDrainFillTest extends FleetTest {
  @Test
  void drainAndFillWithAProgressBar() {
    Storcon storcon = new Storcon(baseUrl());
    TenantId tenant = TenantId.generate();
    // One secondary each: a drain moves a shard to its warm secondary, never cold.
    assertThat(create(tenant, 6, 1).status()).isEqualTo(201);
    long node =
        api.get("/control/v1/tenant/" + tenant)
            .json()
            .get("shards")
            .get(0)
            .get("node_attached")
            .asLong();
    String nodeId = String.valueOf(node);

    Storcon.Run drained =
        storcon.run(
            new Terminal(60, true),
            "node-drain",
            "--node-id",
            nodeId,
            "--wait",
            "--timeout",
            "60s");
    assertThat(drained.status()).as(drained.toString()).isZero();
    // Redrawn in place: carriage returns, frames one column short of the width, one final newline.
    assertThat(drained.err()).startsWith("\r").contains("drain node/" + node + " [").endsWith("\n");
    for (String frame : drained.err().strip().split("\r")) {
      assertThat(frame).hasSizeLessThanOrEqualTo(59);
    }
    assertThat(drained.err().strip()).endsWith("succeeded");
    assertThat(drained.out()).contains("drain node/" + node + " succeeded");
    for (JsonNode shard : api.get("/control/v1/tenant/" + tenant).json().get("shards")) {
      assertThat(shard.get("node_attached").asLong()).isNotEqualTo(node);
    }
    Storcon.Run listed = storcon.run("operations");
    assertThat(listed.out())
        .containsPattern("(?m)^\\| \\d+ +\\| drain +\\| node/" + node + " +\\| succeeded ");

    // Neon leaves a drained node paused for its restart; it is made Active again before a fill.
    assertThat(
            storcon.run("node-configure", "--node-id", nodeId, "--scheduling", "active").status())
        .isZero();
    Storcon.Run filled =
        storcon.run("node-fill", "--node-id", nodeId, "--wait", "--timeout", "60s");
    assertThat(filled.status()).as(filled.toString()).isZero();
    assertThat(filled.err()).contains("fill node/" + node + " [");
    assertThat(filled.out()).contains("fill node/" + node + " succeeded");
    assertConsistent();
  }

  @Test
  void cancellingWhenNothingRunsIsTheServersRefusal() {
    Storcon storcon = new Storcon(baseUrl());
    String nodeId = fleet.pageservers().get(0).nodeId().toString();
    Storcon.Run run = storcon.run("node-drain", "--node-id", nodeId, "--cancel");
    assertThat(run.status()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).startsWith("storcon: ").containsPattern("HTTP 4\\d\\d");
  }

  @Test
  void drainingAnUnknownNodeIs404() {
    Storcon.Run run = new Storcon(baseUrl()).run("node-drain", "--node-id", "987654321");
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).contains("404");
  }
}
