package io.storagecontroller.tools.chaos;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.tools.harness.ControllerHttp;
import io.storagecontroller.tools.simulator.PageserverFleet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The soak's checks once the system is idle again: the generation invariant held throughout,
 * nothing acknowledged was lost or resurrected, every tenant is attached and whole (all its parents
 * or all its children), a create or delete whose answer was lost happened wholly or not at all, and
 * memory, database and scheduler agree.
 */
record Verdict(
    List<String> safety,
    List<String> lost,
    List<String> resurrected,
    List<String> unattached,
    List<String> partial,
    List<String> inconsistent) {

  /**
   * How long the controller is given to act on a returning node's heartbeat: one heartbeat interval
   * of the soak's controller. A shard whose attach was already decided when the answer came in may
   * land just after it; a controller that ignored a node's return for longer is still caught.
   */
  static final Duration NOTICE = Duration.ofSeconds(1);

  static Verdict of(ControllerHttp http, PageserverFleet fleet, Ledger ledger) {
    List<String> safety = new ArrayList<>();
    fleet.safety().violations(NOTICE).forEach(v -> safety.add(v.toString()));
    List<String> lost = new ArrayList<>();
    List<String> unattached = new ArrayList<>();
    List<String> partial = new ArrayList<>();
    for (Map.Entry<TenantId, Integer> tenant : ledger.live().entrySet()) {
      ControllerHttp.Reply described = http.get("/control/v1/tenant/" + tenant.getKey());
      if (described.status() == 404) {
        lost.add(tenant.getKey().toString());
        continue;
      }
      checkShards(described.json(), fleet, unattached, partial);
    }
    // Lost answers: each create or delete happened wholly or not at all (a delete that had begun
    // leaves the tenant whole and Detached).
    Set<TenantId> uncertain = new HashSet<>(ledger.uncertainCreates().keySet());
    uncertain.addAll(ledger.uncertainDeletes());
    for (TenantId tenant : uncertain) {
      ControllerHttp.Reply described = http.get("/control/v1/tenant/" + tenant);
      if (described.status() == 200) {
        checkShards(described.json(), fleet, unattached, partial);
      } else if (described.status() != 404) {
        partial.add(tenant + ": describe answered " + described.status());
      }
    }
    List<String> resurrected = new ArrayList<>();
    for (TenantId tenant : ledger.deleted()) {
      if (http.get("/control/v1/tenant/" + tenant).status() != 404) {
        resurrected.add(tenant.toString());
      }
    }
    List<String> inconsistent = new ArrayList<>();
    ControllerHttp.Reply check = http.send("POST", "/debug/v1/consistency_check", "");
    if (check.status() != 200) {
      inconsistent.add(check.status() + " " + check.body());
    }
    return new Verdict(safety, lost, resurrected, unattached, partial, inconsistent);
  }

  /**
   * Every shard attached and served (unless the tenant's policy is Detached); the shards are one
   * whole generation of the tenant: all of one shard count, and as many as that count says (not
   * parents beside children, none missing).
   */
  private static void checkShards(
      JsonNode tenant, PageserverFleet fleet, List<String> unattached, List<String> partial) {
    boolean detached = "Detached".equals(tenant.path("policy").asString(""));
    Set<Integer> counts = new HashSet<>();
    int shards = 0;
    for (JsonNode shard : tenant.get("shards")) {
      TenantShardId id = TenantShardId.parse(shard.get("tenant_shard_id").asString());
      counts.add(Math.max(1, id.shardCount().count()));
      shards++;
      boolean served =
          fleet.pageservers().stream()
              .anyMatch(
                  ps ->
                      ps.location(id)
                          .map(c -> c.mode() == LocationConfigMode.ATTACHED_SINGLE)
                          .orElse(false));
      if (!detached && (shard.path("node_attached").isNull() || !served)) {
        unattached.add(id.toString());
      }
    }
    if (counts.size() != 1 || counts.iterator().next() != shards) {
      partial.add(tenant.path("tenant_id").asString() + ": shards " + counts + " x" + shards);
    }
  }

  int violations() {
    return safety.size()
        + lost.size()
        + resurrected.size()
        + unattached.size()
        + partial.size()
        + inconsistent.size();
  }
}
