package io.storagecontroller.tools.simulator;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/tenant/{id}/wait_lsn}, the live migration's catch-up wait. The body maps timeline
 * ids to LSNs plus {@code "timeout": {"secs", "nanos"}}: 200 once every timeline's WAL reaches its
 * LSN, 202 if that does not happen within the timeout, 404 for an unknown timeline.
 */
final class WaitLsnEndpoint {
  // Longer waits would only hold a pool thread; callers time out long before.
  private static final Duration LONGEST_WAIT = Duration.ofMinutes(10);

  private final SimulatedPageserver pageserver;

  WaitLsnEndpoint(SimulatedPageserver pageserver) {
    this.pageserver = pageserver;
  }

  void register(Router router) {
    router.add("POST", "/v1/tenant/{tenant_shard_id}/wait_lsn", this::waitLsn);
  }

  private Reply waitLsn(Request request) {
    TenantShardId shard = request.tenantShardId();
    JsonBody body = request.json();
    JsonBody timeout =
        JsonBody.of(body.optionalObject("timeout").orElseThrow(() -> JsonBody.missing("timeout")));
    Duration limit = Duration.ofSeconds(timeout.longOr("secs", 0), timeout.longOr("nanos", 0));
    if (limit.compareTo(LONGEST_WAIT) > 0) {
      limit = LONGEST_WAIT;
    }
    List<Map.Entry<TimelineId, Lsn>> targets = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : body.node().properties()) {
      if (!field.getKey().equals("timeout")) {
        targets.add(Map.entry(timelineId(field.getKey()), lsn(body, field.getKey())));
      }
    }
    // LSNs grow at a known rate, so when each target is reached can be computed, not polled.
    Instant reached =
        pageserver
            .tenants()
            .attached(
                shard,
                location ->
                    targets.stream()
                        .map(
                            t ->
                                TimelineEndpoints.timeline(location, t.getKey())
                                    .reaches(t.getValue()))
                        .max(Instant::compareTo)
                        .orElse(Instant.MIN));
    Duration missing = Duration.between(pageserver.fleet().clock().instant(), reached);
    if (missing.isNegative() || missing.isZero()) {
      return Reply.ok(null);
    }
    if (missing.compareTo(limit) > 0) {
      pause(limit);
      return Reply.of(202, null);
    }
    pause(missing.plusMillis(1));
    return Reply.ok(null);
  }

  private static TimelineId timelineId(String field) {
    try {
      return TimelineId.parse(field);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("unknown field `" + field + "`: " + e.getMessage());
    }
  }

  private static Lsn lsn(JsonBody body, String field) {
    return body.optionalParsed(field, Lsn::parse).orElseThrow(() -> JsonBody.missing(field));
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.shuttingDown();
    }
  }
}
