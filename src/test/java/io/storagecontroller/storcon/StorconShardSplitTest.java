package io.storagecontroller.storcon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.Storcon;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * {@code storcon tenant-shard-split}: the split route answers when the split is done, and the
 * split's operation is drawn meanwhile. Skipped while the controller has no shard_split route.
 */
class StorconShardSplitTest extends FleetTest {
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  boolean splitRouteExists() {
    return mapping.getHandlerMethods().keySet().stream()
        .anyMatch(
            info ->
                info.getMethodsCondition().getMethods().contains(RequestMethod.PUT)
                    && info.getPathPatternsCondition().getPatternValues().stream()
                        .anyMatch(
                            p ->
                                p.startsWith("/control/v1/tenant/") && p.endsWith("/shard_split")));
  }

  @Test
  void splitATenantShowingProgress() {
    assumeTrue(
        splitRouteExists(), "PUT /control/v1/tenant/:tenant_id/shard_split is not mapped yet");
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
