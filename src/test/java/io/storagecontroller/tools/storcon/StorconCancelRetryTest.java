package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cancel and retry from storcon, on drains held mid-way (secondaries take an hour to warm up, so
 * each migration waits in warm-up until cancelled).
 */
class StorconCancelRetryTest extends FleetTest {
  @Override
  protected SimulatorOptions fleetOptions(SimulatorOptions options) {
    return options.withSecondaryDownloadTime(Duration.ofHours(1));
  }

  static long operationId(String text) {
    Matcher m = Pattern.compile("operation (\\d+)").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void cancelADrainByNodeThenRetryAndCancelItByOperation() {
    Storcon storcon = new Storcon(baseUrl());
    for (int i = 0; i < 4; i++) {
      assertThat(create(TenantId.generate(), 0, 1).status()).isEqualTo(201);
    }
    String node = fleet.pageservers().get(0).nodeId().toString();

    Storcon.Run started = storcon.run("node-drain", "--node-id", node);
    assertThat(started.status()).as(started.toString()).isZero();
    assertThat(started.out()).contains("drain of node " + node + " started: operation ");
    long id = operationId(started.out());

    Storcon.Run cancelled =
        storcon.run("node-drain", "--node-id", node, "--cancel", "--wait", "--timeout", "60s");
    assertThat(cancelled.status()).as(cancelled.toString()).isZero();
    assertThat(cancelled.out()).contains("drain of node " + node + " cancelled");
    assertThat(cancelled.err()).contains("drain node/" + node + " [", "cancelled");
    assertThat(storcon.run("operations", "show", String.valueOf(id)).out())
        .containsPattern("(?m)^\\| State +\\| cancelled ");

    Storcon.Run retried = storcon.run("operations", "retry", String.valueOf(id));
    assertThat(retried.status()).as(retried.toString()).isZero();
    assertThat(retried.out()).contains("operation " + id + " retried as operation ");
    long again =
        Long.parseLong(retried.out().replaceAll("(?s).*retried as operation (\\d+).*", "$1"));
    assertThat(again).isGreaterThan(id);

    Storcon.Run stopped =
        storcon.run("operations", "cancel", String.valueOf(again), "--wait", "--timeout", "60s");
    assertThat(stopped.status()).as(stopped.toString()).isZero();
    assertThat(stopped.out()).contains("operation " + again + " cancelled");
    // A followed operation that ends cancelled is not a success for `watch`: exit 1 with why.
    Storcon.Run watched = storcon.run("operations", "watch", String.valueOf(again));
    assertThat(watched.status()).isEqualTo(1);
    assertThat(watched.err())
        .contains("operation " + again + " (drain node/" + node + ") cancelled");
    assertThat(StorconNodesAndTenantsTest.rowOf(storcon.run("nodes").out(), node))
        .endsWith("Active", "Active");
  }
}
