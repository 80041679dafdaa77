package io.storagecontroller.tools.storcon;

import static io.storagecontroller.tools.storcon.StorconNodesAndTenantsTest.cells;
import static io.storagecontroller.tools.storcon.StorconNodesAndTenantsTest.rowOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import io.storagecontroller.tools.simulator.Fault;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code storcon operations} on a real long operation: the evacuation of a pageserver that stopped
 * answering (it needs no route beyond the operations API).
 */
class StorconOperationsTest extends FleetTest {
  @Test
  void followAnEvacuationFromListToEnd() {
    Storcon storcon = new Storcon(baseUrl());
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 4, 0).status()).isEqualTo(201);
    long victim =
        api.get("/control/v1/tenant/" + tenant)
            .json()
            .get("shards")
            .get(0)
            .get("node_attached")
            .asLong();
    fleet.pageserver(victim).fault(Fault.down());
    String target = "node/" + victim;
    long[] id = new long[1];
    ControllerProcess.await(
        DEADLINE,
        () -> {
          for (JsonNode operation : api.get("/control/v1/operations?limit=50").json()) {
            if (operation.get("kind").asString().equals("evacuate")
                && operation.get("target").asString().equals(target)) {
              id[0] = operation.get("id").asLong();
              return true;
            }
          }
          return false;
        },
        "an evacuation of " + target);

    // Watch draws the progress (a line per change, as in a log) and reports the end.
    Storcon.Run watched =
        storcon.run("operations", "watch", String.valueOf(id[0]), "--timeout", "60s");
    assertThat(watched.status()).as(watched.toString()).isZero();
    assertThat(watched.err()).contains("evacuate " + target + " [").contains("succeeded");
    assertThat(watched.out()).contains("evacuate " + target + " succeeded in ");

    Storcon.Run listed = storcon.run("operations", "--limit", "50");
    assertThat(listed.status()).isZero();
    assertThat(cells(listed.out().lines().toList().get(1)))
        .containsExactly("Id", "Kind", "Target", "State", "Progress", "Phase", "Started", "Error");
    List<String> row = rowOf(listed.out(), String.valueOf(id[0]));
    assertThat(row.subList(1, 4)).containsExactly("evacuate", target, "succeeded");
    assertThat(row.get(4)).matches("\\d+/\\d+");

    // A table without header, as Neon's tenant-describe prints a tenant's policy.
    Storcon.Run shown = storcon.run("operations", "show", String.valueOf(id[0]));
    assertThat(shown.out().lines().toList().get(2)).startsWith("|-");
    assertThat(rowOf(shown.out(), "Kind")).containsExactly("Kind", "evacuate");
    assertThat(rowOf(shown.out(), "Workflow")).containsExactly("Workflow", target + "/evacuate");
    assertThat(rowOf(shown.out(), "State")).containsExactly("State", "succeeded");

    // A finished operation can be neither cancelled nor retried: the server's message, exit 1.
    Storcon.Run cancel = storcon.run("operations", "cancel", String.valueOf(id[0]));
    assertThat(cancel.status()).isEqualTo(1);
    assertThat(cancel.err()).contains("is not running", "409");
    Storcon.Run retry = storcon.run("operations", "retry", String.valueOf(id[0]));
    assertThat(retry.status()).isEqualTo(1);
    assertThat(retry.err()).contains("nothing to retry");
    Storcon.Run unknown = storcon.run("operations", "show", "999999999");
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("not found", "404");
  }
}
