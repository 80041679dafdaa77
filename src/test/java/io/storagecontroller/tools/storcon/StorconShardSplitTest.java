package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code storcon tenant-shard-split}: the split route answers when the split is done, and the
 * split's operation is drawn meanwhile.
 */
class StorconShardSplitTest extends FleetTest {
  @Test
  void splitATenantShowingProgress() {
    Storcon storcon = new Storcon(baseUrl());
    TenantId tenant = TenantId.generate();
    assertThat(create(tenant, 2, 1).status()).isEqualTo(201);

    Storcon.Run split =
        storcon.run(
            new Terminal(70, true),
            "tenant-shard-split",
            "--tenant-id",
            tenant.toString(),
            "--shard-count",
            "4");
    assertThat(split.status()).as(split.toString()).isZero();
    assertThat(split.out()).contains("tenant " + tenant + " split into 4 shards");
    for (String suffix : new String[] {"-0004", "-0104", "-0204", "-0304"}) {
      assertThat(split.out()).contains(tenant + suffix);
    }
    assertThat(split.err()).contains("split " + tenant + " [").endsWith("\n");

    JsonNode described = api.get("/control/v1/tenant/" + tenant).json();
    assertThat(described.get("shards")).hasSize(4);
    // Splitting to fewer shards than it has: the controller's 400, its message, exit 1.
    Storcon.Run fewer =
        storcon.run("tenant-shard-split", "--tenant-id", tenant.toString(), "--shard-count", "2");
    assertThat(fewer.status()).isEqualTo(1);
    assertThat(fewer.err()).contains("HTTP 400");
    assertConsistent();
  }
}
