package io.storagecontroller.tools.simulator;

import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.pageserver.PageserverUtilization;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** {@code /v1/status} and the heartbeat's {@code /v1/utilization}. */
final class NodeEndpoints {
  // A roomy disk: placement is decided by shard counts unless a test fills the fleet up.
  private static final long DISK_BYTES = 1L << 40;
  private static final long BYTES_PER_SHARD = 64L << 20;
  private static final int DISK_USABLE_PCT = 50;
  private static final long MAX_SHARD_COUNT = 5000;
  private static final DateTimeFormatter RFC3339_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final SimulatedPageserver pageserver;

  NodeEndpoints(SimulatedPageserver pageserver) {
    this.pageserver = pageserver;
  }

  void register(Router router) {
    router
        .add("GET", "/v1/status", r -> status())
        .add("GET", "/v1/utilization", r -> utilization());
  }

  private Reply status() {
    return new Reply(
        200, PageserverJson.mapper().createObjectNode().put("id", pageserver.nodeId().value()));
  }

  private Reply utilization() {
    long shards = pageserver.tenants().size();
    long used = shards * BYTES_PER_SHARD;
    long usable = DISK_BYTES * DISK_USABLE_PCT / 100;
    long score = Math.max(used * 1_000_000 / usable, shards * 1_000_000 / MAX_SHARD_COUNT);
    return Reply.ok(
        new PageserverUtilization(
            used,
            DISK_BYTES - used,
            used,
            DISK_USABLE_PCT,
            shards,
            MAX_SHARD_COUNT,
            score,
            RFC3339_MILLIS.format(pageserver.fleet().clock().instant())));
  }
}
