package io.storagecontroller.tools.simulator;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.TenantShardId;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/** A secondary location's layer download and its progress. */
final class SecondaryEndpoints {
  private final SimulatedPageserver pageserver;

  SecondaryEndpoints(SimulatedPageserver pageserver) {
    this.pageserver = pageserver;
  }

  void register(Router router) {
    router
        .add("POST", "/v1/tenant/{tenant_shard_id}/secondary/download", this::download)
        .add("GET", "/v1/tenant/{tenant_shard_id}/secondary/status", this::status);
  }

  /**
   * Starts (or joins) the download and waits up to {@code wait_ms} (without it: until done): 200
   * with the progress once complete, 202 while still downloading.
   */
  private Reply download(Request request) {
    TenantShardId id = request.tenantShardId();
    OptionalLong waitMs = request.longQuery("wait_ms");
    SecondaryDownload download = pageserver.tenants().download(id);
    Duration remaining =
        Duration.between(pageserver.fleet().clock().instant(), download.completesAt());
    if (!remaining.isNegative()) {
      Duration wait = waitMs.isPresent() ? Duration.ofMillis(waitMs.getAsLong()) : remaining;
      // One millisecond past completion, so that a full wait really sees it complete.
      pause(wait.compareTo(remaining) < 0 ? wait : remaining.plusMillis(1));
    }
    Instant now = pageserver.fleet().clock().instant();
    return Reply.of(download.isComplete(now) ? 200 : 202, download.progress(now));
  }

  private Reply status(Request request) {
    TenantShardId id = request.tenantShardId();
    Instant now = pageserver.fleet().clock().instant();
    RemoteStorage remote = pageserver.fleet().remote();
    return Reply.ok(
        pageserver
            .tenants()
            .secondary(
                id,
                location ->
                    location.download != null && location.download.heatmapMtime() != null
                        ? location.download.progress(now)
                        : SecondaryDownload.notStarted(
                            pageserver.tenants().heatmap(id, location, now).orElse(null),
                            SecondaryDownload.layersFor(remote.timelineIds(id).size()))));
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(Math.max(0, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.shuttingDown();
    }
  }
}
