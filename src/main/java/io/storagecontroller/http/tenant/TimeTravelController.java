package io.storagecontroller.http.tenant;

import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardNumber;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.RelayedError;
import io.storagecontroller.tenant.TenantService;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code PUT /v1/tenant/:tenant_id/time_travel_remote_storage}: rewinds the tenant's remote storage
 * for every shard id of every shard count it ever had. Only a tenant with no location anywhere may
 * travel: a pageserver writing meanwhile would mix two histories.
 */
@RestController
public class TimeTravelController {
  private final TenantService tenants;
  private final NodeService nodes;
  private final PageserverClients clients;

  public TimeTravelController(TenantService tenants, NodeService nodes, PageserverClients clients) {
    this.tenants = tenants;
    this.nodes = nodes;
    this.clients = clients;
  }

  @PutMapping("/v1/tenant/{tenant_id}/time_travel_remote_storage")
  @RequestName("v1_tenant_time_travel_remote_storage")
  ResponseEntity<String> timeTravel(
      @PathVariable("tenant_id") TenantId tenant,
      @RequestParam("travel_to") String travelTo,
      @RequestParam("done_if_after") String doneIfAfter,
      @RequestBody JsonNode body) {
    requireTimestamp("travel_to", travelTo);
    requireTimestamp("done_if_after", doneIfAfter);
    JsonNode counts = body.get("shard_counts");
    if (counts == null || !counts.isArray() || body.size() != 1) {
      throw Refusal.badRequest("expected {\"shard_counts\": [...]}");
    }
    Set<Integer> shardCounts = new LinkedHashSet<>();
    for (JsonNode c : counts) {
      if (!c.isIntegralNumber() || !c.canConvertToInt() || c.asInt() < 0 || c.asInt() > 255) {
        throw Refusal.badRequest("invalid shard count " + c);
      }
      shardCounts.add(c.asInt());
    }
    boolean placed =
        tenants.requireTenant(tenant).stream()
            .anyMatch(s -> !s.intendedNodes().isEmpty() || !s.observed().isEmpty());
    if (placed) {
      throw Refusal.preconditionFailed(
          "Tenant "
              + tenant
              + " has locations on pageservers; set its placement to Detached first");
    }
    PageserverException unreachable = null;
    // Any available pageserver can rewrite remote storage; availability lags a failure by up to one
    // heartbeat grace, so an unreachable one hands over to the next.
    for (NodeId node : nodes.availableNodes().stream().sorted().toList()) {
      try {
        travelThrough(node, tenant, shardCounts, travelTo, doneIfAfter);
        return NullBody.ok();
      } catch (PageserverException e) {
        if (e.status() != 0) {
          throw RelayedError.of(e);
        }
        unreachable = e;
      }
    }
    throw Refusal.unavailable(
        "no reachable pageserver to time-travel with"
            + (unreachable == null ? "" : ": " + unreachable.getMessage()));
  }

  private void travelThrough(
      NodeId node, TenantId tenant, Set<Integer> shardCounts, String travelTo, String doneIfAfter) {
    for (int literal : shardCounts) {
      ShardCount count = ShardCount.of(literal);
      for (int n = 0; n < count.count(); n++) {
        TenantShardId id = new TenantShardId(tenant, ShardNumber.of(n), count);
        clients.client(node).timeTravel(id, travelTo, doneIfAfter);
      }
    }
  }

  private static void requireTimestamp(String name, String value) {
    try {
      OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw Refusal.badRequest(name + " must be an RFC 3339 timestamp, got '" + value + "'");
    }
  }
}
