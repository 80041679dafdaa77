package io.storagecontroller.tools.bench;

import io.storagecontroller.tools.harness.ControllerHttp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Every shard's attached node as the controller describes it, read page by page. */
record Placements(Map<String, Long> attachedByShard, Map<String, String> tenantOfShard) {
  static Placements read(ControllerHttp http) {
    Map<String, Long> attached = new HashMap<>();
    Map<String, String> tenants = new HashMap<>();
    String after = null;
    while (true) {
      String path =
          "/control/v1/tenant?limit=1000" + (after == null ? "" : "&start_after=" + after);
      JsonNode page = http.ok("GET", path, null).json();
      if (page.isEmpty()) {
        return new Placements(attached, tenants);
      }
      for (JsonNode tenant : page) {
        after = tenant.get("tenant_id").asString();
        for (JsonNode shard : tenant.get("shards")) {
          String id = shard.get("tenant_shard_id").asString();
          attached.put(id, shard.path("node_attached").asLong(-1));
          tenants.put(id, after);
        }
      }
    }
  }

  Map<Long, Long> perNode() {
    Map<Long, Long> counts = new HashMap<>();
    attachedByShard.values().forEach(n -> counts.merge(n, 1L, Long::sum));
    return counts;
  }

  List<String> shardsOn(long node) {
    List<String> shards = new ArrayList<>();
    attachedByShard.forEach(
        (shard, n) -> {
          if (n == node) {
            shards.add(shard);
          }
        });
    return shards;
  }
}
