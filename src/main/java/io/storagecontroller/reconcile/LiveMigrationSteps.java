package io.storagecontroller.reconcile;

import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.StepFailure;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.TimelineInfo;
import io.storagecontroller.shard.LocationConfigs;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Moving a shard's attachment off a node that still serves it, without a gap in service and never
 * with two locations both AttachedSingle, in Neon's live-migration order: (warm a secondary at the
 * destination,) step the origin down to AttachedStale, attach the destination AttachedMulti with a
 * new generation, (wait for it to catch up, tell computes,) demote the origin, make the destination
 * AttachedSingle. The migration workflow runs the steps one by one with its waits between them; a
 * reconcile that finds the shard attached elsewhere runs them back to back.
 *
 * <p>Each step passes its failpoint first and then works as the shard's writer, so a paused step
 * blocks no other writer; it re-reads the shard inside, and fails with {@code ShardDeleted} when
 * the shard is gone.
 */
@Component
public class LiveMigrationSteps {
  private static final Logger log = LoggerFactory.getLogger(LiveMigrationSteps.class);

  private final boolean kickSecondaryDownloads;

  /** Neon flushes the origin for up to 10 s when it steps down to AttachedStale. */
  static final Duration ORIGIN_FLUSH = Duration.ofSeconds(10);

  private final ShardStore store;
  private final NodeService nodes;
  private final PageserverClients clients;
  private final LocationWriter writer;
  private final ComputeNotifications notifications;
  private final Failpoints failpoints;

  public LiveMigrationSteps(
      ShardStore store,
      NodeService nodes,
      PageserverClients clients,
      LocationWriter writer,
      ComputeNotifications notifications,
      Failpoints failpoints,
      ControllerProperties properties) {
    this.kickSecondaryDownloads = properties.kickSecondaryDownloads();
    this.store = store;
    this.nodes = nodes;
    this.clients = clients;
    this.writer = writer;
    this.notifications = notifications;
    this.failpoints = failpoints;
  }

  /** Makes sure the destination holds a location to warm: a secondary, unless it holds one. */
  public void prepareDestination(TenantShardId id, NodeId destination) {
    asWriter(
        id,
        shard -> {
          if (!shard.observed().containsKey(destination)
              || shard.observed().get(destination).isEmpty()) {
            writer.apply(id, destination, LocationConfigs.secondary(shard));
          }
          return null;
        });
  }

  /**
   * One long-poll of the destination's secondary download; true once it is warm. A pageserver that
   * fails counts as warm: the migration proceeds cold, as Neon's does.
   */
  public boolean warmUp(TenantShardId id, NodeId destination, Duration wait) {
    try {
      if (kickSecondaryDownloads) {
        kickHeatmap(id, destination);
      }
      return clients.client(destination).secondaryDownload(id, wait).done();
    } catch (PageserverException e) {
      log.warn(
          "{}: warm-up on node {} failed, proceeding cold: {}", id, destination, e.getMessage());
      return true;
    }
  }

  /**
   * {@code --kick-secondary-downloads}: a destination that has no heatmap yet would wait for the
   * attached location's next periodic upload (minutes in the field); the attached pageserver is
   * asked to upload one now, as Neon's optimiser does before a migration. Failures only log: it is
   * a kick, the warm-up goes on either way.
   */
  private void kickHeatmap(TenantShardId id, NodeId destination) {
    NodeId attached = store.shard(id).map(ShardView::generationPageserver).orElse(null);
    if (attached == null || attached.equals(destination)) {
      return;
    }
    try {
      if (clients.client(destination).secondaryStatus(id).heatmapMtime() != null) {
        return;
      }
      clients.client(attached).heatmapUpload(id);
      log.info("{}: no heatmap on node {} yet: node {} uploaded one", id, destination, attached);
    } catch (PageserverException e) {
      log.info("{}: heatmap kick for node {} failed: {}", id, destination, e.getMessage());
    }
  }

  /**
   * Origin to AttachedStale, flushing; returns its timelines' last record LSNs, the baseline the
   * destination must reach (empty when the origin could not list them).
   */
  public Map<TimelineId, Lsn> stepDownOrigin(TenantShardId id, NodeId origin) {
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_STEP_DOWN);
    return asWriter(
        id,
        shard -> {
          Optional<Generation> held = originGeneration(shard, origin);
          if (held.isPresent()) {
            LocationConfig stale =
                LocationConfigs.withMode(
                    LocationConfigs.attached(shard, held.get().value()),
                    held.get(),
                    LocationConfigMode.ATTACHED_STALE);
            writer.apply(id, origin, stale, false, ORIGIN_FLUSH);
          } else {
            log.info("{}: node {} holds no attached generation to step down", id, origin);
          }
          Map<TimelineId, Lsn> baseline = new HashMap<>();
          try {
            for (TimelineInfo timeline : clients.client(origin).timelineList(id)) {
              baseline.put(timeline.timelineId(), timeline.lastRecordLsn());
            }
          } catch (PageserverException e) {
            log.warn("{}: no LSN baseline from node {}: {}", id, origin, e.getMessage());
          }
          return baseline;
        });
  }

  /**
   * The generation the origin steps down in: the newest, while it holds it. A migration resumed
   * after its controller died may run this step again after the newest went to the destination: the
   * origin then keeps the generation it was seen to hold (telling it the destination's would make
   * two holders of one generation), and one seen to hold nothing attached is left alone.
   */
  private static Optional<Generation> originGeneration(ShardView shard, NodeId origin) {
    if (origin.equals(shard.generationPageserver())) {
      return Optional.of(shard.generation());
    }
    return shard
        .confirmed(origin)
        .filter(c -> c.mode() != LocationConfigMode.SECONDARY && c.generation() != null)
        .map(c -> Generation.of(c.generation()));
  }

  /** A new generation for the destination (committed first), then AttachedMulti there. */
  public Generation attachDestination(TenantShardId id, NodeId destination) {
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_GENERATION_INC);
    Generation issued =
        asWriter(
            id,
            shard -> {
              if (!(shard.policy() instanceof PlacementPolicy.Attached)) {
                // Detached (a delete began) while the migration ran: nothing may attach it now.
                throw StepFailure.fatal(
                    "NotAttached",
                    id + " is " + shard.policy() + " now: it is not attached anywhere");
              }
              return store.issueGeneration(id, destination).orElseThrow(() -> gone(id));
            });
    failpoints.hit(FailpointNames.LIVE_MIGRATE_POST_GENERATION_INC);
    asWriter(
        id,
        shard -> {
          writer.apply(
              id,
              destination,
              LocationConfigs.withMode(
                  LocationConfigs.attached(shard, issued.value()),
                  issued,
                  LocationConfigMode.ATTACHED_MULTI));
          return null;
        });
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_AWAIT_LSN);
    return issued;
  }

  /** Whether the destination has every baseline timeline at or past its baseline LSN. */
  public boolean caughtUp(TenantShardId id, NodeId destination, Map<TimelineId, Lsn> baseline) {
    Map<TimelineId, Lsn> reached = new HashMap<>();
    try {
      for (TimelineInfo timeline : clients.client(destination).timelineList(id)) {
        reached.put(timeline.timelineId(), timeline.lastRecordLsn());
      }
    } catch (PageserverException e) {
      return false;
    }
    // A timeline missing at the destination was deleted meanwhile (Neon #9244): nothing to wait
    // for.
    return baseline.entrySet().stream()
        .allMatch(
            e -> {
              Lsn at = reached.get(e.getKey());
              return at == null || at.compareTo(e.getValue()) >= 0;
            });
  }

  /**
   * Tells computes where the shard is now; true once delivered, or once waiting is pointless
   * because the origin is gone or no longer attached (Neon #9147; the notification then stays
   * pending for the sweep).
   */
  public boolean notifyCompute(TenantShardId id, NodeId origin) {
    if (notifications.notifyOrMarkPending(id.tenantId())) {
      return true;
    }
    if (!nodes.availableNodes().contains(origin)) {
      log.info("{}: origin node {} is gone; not waiting for the compute hook", id, origin);
      return true;
    }
    try {
      return clients.client(origin).getLocation(id).map(c -> !c.inAttachedMode()).orElse(true);
    } catch (PageserverException e) {
      return false;
    }
  }

  /**
   * The origin gives up the attachment: to a warm secondary when {@code keepWarm} (a migration's
   * mop-up reconcile detaches it if the intent has no use for it), else to what the intent says.
   */
  public void demoteOrigin(TenantShardId id, NodeId origin, boolean keepWarm) {
    failpoints.hit(FailpointNames.LIVE_MIGRATE_POST_NOTIFY);
    asWriter(
        id,
        shard -> {
          writer.apply(
              id,
              origin,
              keepWarm
                  ? LocationConfigs.secondary(shard)
                  : LocationConfigs.afterAttached(shard, origin));
          return null;
        });
  }

  /** The destination becomes the single attachment, if it still holds the newest generation. */
  public void finalizeDestination(TenantShardId id, NodeId destination) {
    failpoints.hit(FailpointNames.LIVE_MIGRATE_POST_DETACH);
    asWriter(
        id,
        shard -> {
          if (!destination.equals(shard.generationPageserver())) {
            throw StepFailure.fatal(
                "GenerationMovedOn",
                id + ": node " + destination + " no longer holds the newest generation");
          }
          demoteOtherAttachments(shard, destination);
          writer.apply(
              id, destination, LocationConfigs.attached(shard, shard.generation().value()));
          return null;
        });
  }

  /**
   * Any other node known to hold the shard attached gives it up before the destination becomes the
   * single attachment: what the intent says for it, else nothing. Such a node is one that came back
   * (and was scanned) while the migration held the shard, after the shard had been evacuated from
   * it: it still holds its old AttachedSingle. Best effort: one that does not answer is left to the
   * reconcile that follows the migration (its generation is older, so it cannot write).
   */
  private void demoteOtherAttachments(ShardView shard, NodeId destination) {
    shard
        .observed()
        .forEach(
            (node, config) -> {
              if (node.equals(destination)
                  || config.filter(LocationConfig::inAttachedMode).isEmpty()) {
                return;
              }
              try {
                writer.apply(shard.id(), node, LocationConfigs.afterAttached(shard, node));
                log.info(
                    "{}: node {} gave up its attachment before the cut-over to node {}",
                    shard.id(),
                    node,
                    destination);
              } catch (PageserverException e) {
                log.warn(
                    "{}: node {} still holds an attachment (left to the reconcile): {}",
                    shard.id(),
                    node,
                    e.getMessage());
              }
            });
  }

  /** Whether the node holds the shard's newest generation: a migration's point of no return. */
  public boolean holdsGeneration(TenantShardId id, NodeId node) {
    return store.shard(id).map(s -> node.equals(s.generationPageserver())).orElse(false);
  }

  /**
   * Gives the attachment back to an origin that still holds the newest generation (a migration
   * stopped before its point of no return): AttachedSingle again, without a new generation.
   */
  public void reattachOrigin(TenantShardId id, NodeId origin) {
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_REVERT);
    asWriter(
        id,
        shard -> {
          if (origin.equals(shard.generationPageserver())
              && nodes.availableNodes().contains(origin)) {
            writer.apply(id, origin, LocationConfigs.attached(shard, shard.generation().value()));
          }
          log.info("{}: migration reverted; attached to node {} again", id, origin);
          return null;
        });
  }

  /** A step with the shard's current view, as its only writer. */
  private <T> T asWriter(TenantShardId id, Function<ShardView, T> step) {
    return store.asWriter(id, () -> step.apply(store.shard(id).orElseThrow(() -> gone(id))));
  }

  private static StepFailure gone(TenantShardId id) {
    return StepFailure.fatal("ShardDeleted", id + " was deleted");
  }
}
