package io.storagecontroller.tools.simulator;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.pageserver.RemoteStorageScan;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Tenant shard info and deletion, heatmap upload and time travel. */
final class TenantEndpoints {
  private final SimulatedPageserver pageserver;

  TenantEndpoints(SimulatedPageserver pageserver) {
    this.pageserver = pageserver;
  }

  void register(Router router) {
    router
        .add("GET", "/v1/tenant/{tenant_shard_id}", this::info)
        .add("DELETE", "/v1/tenant/{tenant_shard_id}", this::delete)
        .add("GET", "/v1/tenant/{tenant_shard_id}/scan_remote_storage", this::scan)
        .add("POST", "/v1/tenant/{tenant_shard_id}/heatmap_upload", this::uploadHeatmap)
        .add("PUT", "/v1/tenant/{tenant_shard_id}/time_travel_remote_storage", this::timeTravel);
  }

  /** Neon's TenantInfo, plus the {@code data} the OpenAPI schema requires of attachment_status. */
  private Reply info(Request request) {
    TenantShardId id = request.tenantShardId();
    Instant now = pageserver.fleet().clock().instant();
    ObjectNode body =
        pageserver
            .tenants()
            .attached(
                id,
                location -> {
                  ObjectNode info = PageserverJson.mapper().createObjectNode();
                  info.put("id", id.toString());
                  info.putObject("state").put("slug", "Active");
                  info.putObject("attachment_status").put("slug", "attached").putObject("data");
                  info.put("generation", location.config.generation());
                  info.put(
                      "current_physical_size",
                      location.timelines.values().stream()
                          .mapToLong(t -> t.info(id, now, "Active").currentPhysicalSize())
                          .sum());
                  return info;
                });
    return new Reply(200, body);
  }

  /** What remote storage holds of the tenant (the path names a tenant, not a shard). */
  private Reply scan(Request request) {
    TenantShardId id = request.tenantShardId();
    if (!id.isUnsharded()) {
      throw ApiError.badRequest("scan_remote_storage takes a tenant id, got " + id);
    }
    return Reply.ok(
        PageserverJson.mapper()
            .valueToTree(new RemoteStorageScan(pageserver.fleet().remote().scan(id.tenantId()))));
  }

  /**
   * Forgets the local location at once and deletes the shard's remote objects once the controller
   * validates the generation: 202 while that runs, 404 when nothing is left here or remotely.
   */
  private Reply delete(Request request) {
    TenantShardId id = request.tenantShardId();
    String key = "tenant " + id;
    DeletionQueue deletions = pageserver.deletions();
    if (deletions.isPending(key)) {
      return Reply.of(202, null);
    }
    RemoteStorage remote = pageserver.fleet().remote();
    Optional<LocationConfig> held = pageserver.tenants().remove(id, "tenant delete");
    boolean stored = remote.holds(id);
    if (held.isEmpty() && !stored) {
      throw ApiError.notFound("tenant shard " + id + " not found");
    }
    if (stored) {
      Generation generation =
          held.filter(LocationConfig::inAttachedMode)
              .map(c -> Generation.of(c.generation()))
              .or(() -> remote.highestGeneration(id))
              .orElse(null);
      deletions.enqueue(
          key,
          id,
          generation,
          (execute, reason) ->
              remote.deleteShard(pageserver.nodeId(), id, generation, execute, reason));
    }
    return Reply.of(202, null);
  }

  private Reply uploadHeatmap(Request request) {
    TenantShardId id = request.tenantShardId();
    Instant now = pageserver.fleet().clock().instant();
    pageserver
        .tenants()
        .attached(
            id,
            location -> {
              pageserver.fleet().remote().heatmapUploaded(id, now);
              return null;
            });
    return Reply.empty(200);
  }

  /**
   * Checks the parameters as the pageserver does; the simulated remote storage keeps no object
   * versions, so there is nothing to roll back. The OpenAPI schema wants a string body.
   */
  private Reply timeTravel(Request request) {
    request.tenantShardId();
    Instant travelTo = timestamp(request, "travel_to");
    Instant doneIfAfter = timestamp(request, "done_if_after");
    if (travelTo.isAfter(doneIfAfter)) {
      throw ApiError.badRequest(
          "The done_if_after timestamp comes before the timestamp to recover to");
    }
    return Reply.ok("OK");
  }

  private static Instant timestamp(Request request, String name) {
    String text =
        request
            .query(name)
            .orElseThrow(() -> ApiError.badRequest("missing query parameter " + name));
    try {
      // An unencoded '+' of the offset arrives as a space.
      return OffsetDateTime.parse(text.replace(' ', '+')).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.badRequest("invalid " + name + " '" + text + "': expected RFC 3339");
    }
  }
}
