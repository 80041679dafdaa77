package io.storagecontroller.tools.simulator;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.PageserverJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Timeline create, list, detail and delete. */
final class TimelineEndpoints {
  private static final int DEFAULT_PG_VERSION = 17;

  private final SimulatedPageserver pageserver;

  TimelineEndpoints(SimulatedPageserver pageserver) {
    this.pageserver = pageserver;
  }

  void register(Router router) {
    router
        .add("POST", "/v1/tenant/{tenant_shard_id}/timeline", this::create)
        .add("GET", "/v1/tenant/{tenant_shard_id}/timeline", this::list)
        .add("GET", "/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}", this::get)
        .add("DELETE", "/v1/tenant/{tenant_shard_id}/timeline/{timeline_id}", this::delete);
  }

  /** A parsed TimelineCreateRequest (branch or bootstrap; an import is taken as a bootstrap). */
  private record Creation(TimelineId id, TimelineId ancestorId, Lsn startLsn, int pgVersion) {
    static Creation parse(JsonBody body) {
      long pgVersion = body.optionalLong("pg_version").orElse(DEFAULT_PG_VERSION);
      if (pgVersion < 1 || pgVersion > Integer.MAX_VALUE) {
        throw ApiError.badRequest("invalid `pg_version`: " + pgVersion);
      }
      return new Creation(
          body.optionalParsed("new_timeline_id", TimelineId::parse)
              .orElseThrow(() -> JsonBody.missing("new_timeline_id")),
          body.optionalParsed("ancestor_timeline_id", TimelineId::parse).orElse(null),
          body.optionalParsed("ancestor_start_lsn", Lsn::parse).orElse(null),
          (int) pgVersion);
    }

    /** Creates the timeline, or finds the identical one a retried request created. */
    SimulatedTimeline apply(Location location, RemoteStorage remote, Instant now) {
      SimulatedTimeline ancestor = null;
      if (ancestorId != null) {
        ancestor = location.timelines.get(ancestorId);
        if (ancestor == null || location.deletingTimelines.contains(ancestorId)) {
          throw ApiError.notFound("ancestor timeline " + ancestorId + " not found");
        }
      }
      // A branch always has its ancestor's Postgres version.
      int version = ancestor != null ? ancestor.pgVersion() : pgVersion;
      SimulatedTimeline existing = location.timelines.get(id);
      if (existing != null) {
        if (location.deletingTimelines.contains(id)
            || !existing.sameCreation(ancestorId, startLsn, version)) {
          throw ApiError.conflict("timeline " + id + " already exists with different parameters");
        }
        return existing;
      }
      SimulatedTimeline timeline =
          ancestor != null
              ? SimulatedTimeline.branch(id, ancestor, startLsn, version, now)
              : SimulatedTimeline.bootstrap(id, version, now);
      remote.putTimeline(location.id, timeline);
      location.timelines.put(id, timeline);
      return timeline;
    }
  }

  private Reply create(Request request) {
    TenantShardId shard = request.tenantShardId();
    Creation creation = Creation.parse(request.json());
    Instant now = pageserver.fleet().clock().instant();
    SimulatedTimeline created =
        pageserver
            .tenants()
            .attached(
                shard, location -> creation.apply(location, pageserver.fleet().remote(), now));
    return new Reply(201, info(created, shard, now, "Active"));
  }

  private Reply list(Request request) {
    TenantShardId shard = request.tenantShardId();
    Instant now = pageserver.fleet().clock().instant();
    ArrayNode body = PageserverJson.mapper().createArrayNode();
    pageserver
        .tenants()
        .attached(
            shard,
            location -> {
              location
                  .timelines
                  .values()
                  .forEach(t -> body.add(info(t, shard, now, state(location, t.id()))));
              return null;
            });
    return new Reply(200, body);
  }

  private Reply get(Request request) {
    TenantShardId shard = request.tenantShardId();
    TimelineId id = request.timelineId();
    Instant now = pageserver.fleet().clock().instant();
    return new Reply(
        200,
        pageserver
            .tenants()
            .attached(
                shard, location -> info(timeline(location, id), shard, now, state(location, id))));
  }

  /**
   * 202 while the deletion runs (remote objects go only after the controller validates the
   * generation), 404 once the timeline is gone, 412 without the tenant shard attached here.
   */
  private Reply delete(Request request) {
    TenantShardId shard = request.tenantShardId();
    TimelineId id = request.timelineId();
    LocalTenants tenants = pageserver.tenants();
    Optional<Generation> started =
        tenants.attached(
            shard,
            () -> ApiError.preconditionFailed("Requested tenant is missing"),
            location -> {
              timeline(location, id);
              if (location.deletingTimelines.contains(id)) {
                return Optional.empty();
              }
              if (location.hasChildren(id)) {
                throw ApiError.preconditionFailed("timeline " + id + " has child timelines");
              }
              location.deletingTimelines.add(id);
              return Optional.of(Generation.of(location.config.generation()));
            });
    started.ifPresent(
        generation ->
            pageserver
                .deletions()
                .enqueue(
                    "timeline " + shard + "/" + id,
                    shard,
                    generation,
                    (execute, reason) -> {
                      pageserver
                          .fleet()
                          .remote()
                          .deleteTimeline(
                              pageserver.nodeId(), shard, generation, id, execute, reason);
                      tenants.timelineDeleted(shard, id);
                    }));
    return Reply.of(202, null);
  }

  static SimulatedTimeline timeline(Location location, TimelineId id) {
    SimulatedTimeline timeline = location.timelines.get(id);
    if (timeline == null) {
      throw ApiError.notFound("Timeline " + location.id + "/" + id + " was not found");
    }
    return timeline;
  }

  private static String state(Location location, TimelineId id) {
    return location.deletingTimelines.contains(id) ? "Stopping" : "Active";
  }

  /** TimelineInfo without null fields: the OpenAPI schema does not allow nulls. */
  private static ObjectNode info(
      SimulatedTimeline timeline, TenantShardId shard, Instant now, String state) {
    ObjectNode node = PageserverJson.mapper().valueToTree(timeline.info(shard, now, state));
    List<String> nulls = new ArrayList<>();
    node.properties()
        .forEach(
            e -> {
              if (e.getValue().isNull()) {
                nulls.add(e.getKey());
              }
            });
    node.remove(nulls);
    return node;
  }
}
