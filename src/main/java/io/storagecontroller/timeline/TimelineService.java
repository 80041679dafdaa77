package io.storagecontroller.timeline;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.pageserver.DeletionProgress;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.RelayedError;
import io.storagecontroller.tenant.AttachedShards;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Timelines across a tenant's shards. Create: shard 0 first (it chooses the initdb and the branch
 * LSN), then every other shard at once with the request rewritten so no shard can diverge. Delete:
 * every other shard at once, shard 0 last, so shard 0's timeline is the last to go.
 */
@Service
public class TimelineService {
  private static final Logger log = LoggerFactory.getLogger(TimelineService.class);

  /** Neon gives up waiting for a deletion after about 25 s and answers 409 (the caller retries). */
  static final Duration DELETE_PATIENCE = Duration.ofSeconds(25);

  private final AttachedShards attached;
  private final PageserverClients clients;
  private final Failpoints failpoints;
  private final ExecutorService fanOut =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "timeline-fan-out");
            t.setDaemon(true);
            return t;
          });

  public TimelineService(
      AttachedShards attached, PageserverClients clients, Failpoints failpoints) {
    this.attached = attached;
    this.clients = clients;
    this.failpoints = failpoints;
  }

  /**
   * Creates the timeline on every shard, and on any older location of a shard still attached (a
   * migration under way), then checks that no shard's generation moved on meanwhile: if one did,
   * the creation may have reached a pageserver that no longer serves it, and the caller is asked to
   * retry (503, as Neon). Returns shard 0's TimelineInfo.
   */
  public ObjectNode create(TenantId tenant, ObjectNode request) {
    JsonNode id = request.get("new_timeline_id");
    if (id == null || !id.isString()) {
      throw Refusal.badRequest("missing field `new_timeline_id`");
    }
    TimelineId timeline = TimelineId.parse(id.asString());
    List<AttachedShards.Location> shards = attached.of(tenant);
    AttachedShards.Location zero = shards.get(0);
    JsonNode created =
        call(() -> clients.client(zero.node()).timelineCreate(zero.shard(), request));
    ObjectNode others = rewriteForOtherShards(request, timeline, created);
    createOnStale(zero, others);
    fanOut(
        shards.subList(1, shards.size()),
        shard -> {
          JsonNode info = clients.client(shard.node()).timelineCreate(shard.shard(), others);
          createOnStale(shard, others);
          return info;
        });
    failpoints.hit(FailpointNames.TIMELINE_CREATE_PRE_GENERATION_CHECK);
    if (attached.generationsMovedOn(shards)) {
      log.warn(
          "timeline {} of tenant {}: a shard's generation moved on during the creation; the"
              + " caller must retry",
          timeline,
          tenant);
      throw Refusal.unavailable("Tenant attachment changed, please retry");
    }
    log.info("created timeline {} on {} shards of tenant {}", timeline, shards.size(), tenant);
    ObjectNode response =
        created.isObject() ? ((ObjectNode) created).deepCopy() : request.objectNode();
    response.putNull("safekeepers");
    return response;
  }

  /**
   * The shard's older attached locations get the timeline too (from the chosen initdb and branch
   * point), so a compute can start wherever the shard is served next; one already detached (404) is
   * skipped.
   */
  private void createOnStale(AttachedShards.Location shard, ObjectNode request) {
    for (NodeId stale : shard.staleAttached()) {
      try {
        clients.client(stale).timelineCreate(shard.shard(), request);
      } catch (PageserverException e) {
        if (e.status() != 404) {
          throw relay(e);
        }
      }
    }
  }

  /** Deletes the timeline everywhere; true when gone, false if still running after the patience. */
  public boolean delete(TenantId tenant, TimelineId timeline) {
    List<AttachedShards.Location> shards = attached.of(tenant);
    Instant deadline = Instant.now().plus(DELETE_PATIENCE);
    Duration wait = Duration.ofSeconds(1);
    while (true) {
      List<DeletionProgress> others =
          fanOut(
              shards.subList(1, shards.size()),
              shard -> clients.client(shard.node()).timelineDelete(shard.shard(), timeline));
      if (others.stream().allMatch(p -> p == DeletionProgress.DONE)) {
        AttachedShards.Location zero = shards.get(0);
        DeletionProgress progress =
            call(() -> clients.client(zero.node()).timelineDelete(zero.shard(), timeline));
        if (progress == DeletionProgress.DONE) {
          log.info("deleted timeline {} of tenant {}", timeline, tenant);
          return true;
        }
      }
      if (Instant.now().plus(wait).isAfter(deadline)) {
        return false;
      }
      sleep(wait);
      wait = Duration.ofSeconds(5);
    }
  }

  /**
   * One of Neon's per-timeline actions ({@code archival_config}, {@code detach_ancestor}, {@code
   * block_gc}, ...) on every shard: the others at once, then shard 0, whose answer is returned (as
   * Neon returns shard 0's detach result). {@code only}, when given, limits it to that one shard.
   */
  public JsonNode onEveryShard(
      TenantId tenant,
      TenantShardId only,
      TimelineId timeline,
      String method,
      String action,
      String query,
      JsonNode body) {
    List<AttachedShards.Location> shards =
        attached.of(tenant).stream().filter(s -> only == null || s.shard().equals(only)).toList();
    if (shards.isEmpty()) {
      throw Refusal.notFound("Tenant shard " + only + " not found");
    }
    fanOut(
        shards.subList(1, shards.size()),
        shard ->
            clients
                .client(shard.node())
                .timelineAction(method, shard.shard(), timeline, action, query, body));
    AttachedShards.Location zero = shards.get(0);
    JsonNode answer =
        call(
            () ->
                clients
                    .client(zero.node())
                    .timelineAction(method, zero.shard(), timeline, action, query, body));
    log.info(
        "{} of timeline {} on {} shards of tenant {}", action, timeline, shards.size(), tenant);
    return answer;
  }

  /** The tenant's shard 0 (404 for an unknown tenant, 503 while not attached). */
  public TenantShardId shardZero(TenantId tenant) {
    return attached.of(tenant).get(0).shard();
  }

  /**
   * Other shards reuse shard 0's initdb (bootstrap) or its chosen branch point (branch without an
   * LSN), as Neon does, so their contents cannot diverge.
   */
  static ObjectNode rewriteForOtherShards(
      ObjectNode request, TimelineId timeline, JsonNode created) {
    ObjectNode rewritten = request.deepCopy();
    if (request.hasNonNull("ancestor_timeline_id")) {
      if (!request.hasNonNull("ancestor_start_lsn") && created.hasNonNull("ancestor_lsn")) {
        rewritten.set("ancestor_start_lsn", created.get("ancestor_lsn"));
      }
    } else if (!request.has("import_pgdata")) {
      rewritten.put("existing_initdb_timeline_id", timeline.toString());
    }
    return rewritten;
  }

  private <T> List<T> fanOut(
      List<AttachedShards.Location> shards, Function<AttachedShards.Location, T> call) {
    List<CompletableFuture<T>> running = new ArrayList<>(shards.size());
    for (AttachedShards.Location shard : shards) {
      running.add(CompletableFuture.supplyAsync(() -> call.apply(shard), fanOut));
    }
    List<T> results = new ArrayList<>(shards.size());
    for (CompletableFuture<T> f : running) {
      try {
        results.add(f.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof PageserverException p) {
          throw relay(p);
        }
        throw e;
      }
    }
    return results;
  }

  private static <T> T call(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (PageserverException e) {
      throw relay(e);
    }
  }

  /** 412 "tenant missing" means the shard moved under us: the caller should retry. */
  private static Refusal relay(PageserverException e) {
    return e.status() == 412 ? Refusal.unavailable(e.getMessage()) : RelayedError.of(e);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Refusal.shuttingDown();
    }
  }
}
