package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import org.junit.jupiter.api.Test;

/** Every new route is measured under Neon's request name. */
class DebugRouteNamesTest extends DebugRoutesTestSupport {

  @Test
  void everyRouteIsMeasuredUnderNeonsName() {
    long unknown = 8_666_666_666_666L;
    api.post("/debug/v1/attach-hook", "{}");
    api.post("/debug/v1/inspect", "{\"tenant_shard_id\":\"%s\"}".formatted(TenantId.generate()));
    api.get("/debug/v1/tenant");
    api.post("/debug/v1/tenant/" + TenantId.generate() + "/drop", "");
    api.post("/debug/v1/node/" + unknown + "/drop", "");
    api.get("/debug/v1/tombstone");
    api.delete("/debug/v1/tombstone/" + unknown);
    api.get("/control/v1/node/" + unknown + "/shards");

    String metrics = api.get("/metrics").body();
    assertThat(metrics)
        .contains("path=\"debug_v1_attach_hook\",status=\"400\"")
        .contains("path=\"debug_v1_inspect\",status=\"200\"")
        .contains("path=\"debug_v1_tenant\",status=\"200\"")
        .contains("path=\"debug_v1_tenant_drop\",status=\"404\"")
        .contains("path=\"debug_v1_node_drop\",status=\"404\"")
        .contains("path=\"debug_v1_tombstone_list\",status=\"200\"")
        .contains("path=\"debug_v1_tombstone_delete\",status=\"404\"")
        .contains("path=\"control_v1_node_describe\",status=\"404\"");
  }
}
