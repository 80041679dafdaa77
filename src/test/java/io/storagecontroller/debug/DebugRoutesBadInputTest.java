package io.storagecontroller.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Unknown ids are 404 and malformed ones 400, always with Neon's {"msg"} body. */
class DebugRoutesBadInputTest extends DebugRoutesTestSupport {

  @Test
  void droppingAnUnknownTenantIs404() {
    TenantId tenant = TenantId.generate();
    assertRefused(
        api.post("/debug/v1/tenant/" + tenant + "/drop", ""),
        404,
        "NotFound: Tenant " + tenant + " not found");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "nothex",
        "1f359dd625e519a1a4e8d7509690f6f",
        "1f359dd625e519a1a4e8d7509690f6fz",
        "1f359dd625e519a1a4e8d7509690f6fc-0002"
      })
  void malformedTenantIdsAre400(String id) {
    assertRefused(api.post("/debug/v1/tenant/" + id + "/drop", ""), 400, "tenant_id");
  }

  @Test
  void shardsOfAnUnknownNodeAre404() {
    assertRefused(
        api.get("/control/v1/node/8777777777777/shards"),
        404,
        "NotFound: Node 8777777777777 not registered");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1.0", "99999999999999999999"})
  void shardsOfAMalformedNodeIdAre400(String id) {
    assertRefused(api.get("/control/v1/node/" + id + "/shards"), 400, "node_id");
  }

  @Test
  void aNodeWithNoShardsListsNone() {
    long node = registerOfflineNode();
    assertThat(api.get("/control/v1/node/" + node + "/shards").body())
        .isEqualTo("{\"node_id\":" + node + ",\"shards\":[]}");
  }
}
