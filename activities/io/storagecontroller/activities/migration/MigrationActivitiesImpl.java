package io.storagecontroller.activities.migration;

import static io.storagecontroller.reconcile.LocationWriter.withMode;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.compute.ComputeNotifications;
import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.model.Generation;
import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.OperationPersistence;
import io.storagecontroller.pageserver.LocationConfig;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.TimelineInfo;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.reconcile.LocationWriter;
import io.storagecontroller.reconcile.ReconcileTrigger;
import io.storagecontroller.reconcile.ShardReconcilePlanner;
import io.storagecontroller.reconcile.ShardSnapshot;
import io.storagecontroller.tenant.ServiceState;
import io.storagecontroller.tenant.ShardMigrations;
import io.storagecontroller.tenant.TenantShard;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** Live-migration steps against this process's state and the pageservers. */
@Component
@ActivityImpl(taskQueues = TaskQueues.CONTROLLER)
public class MigrationActivitiesImpl implements MigrationActivities {
  private static final Logger log = LoggerFactory.getLogger(MigrationActivitiesImpl.class);

  /** Neon flushes the origin for up to 10 s when it steps down to AttachedStale. */
  private static final Duration ORIGIN_FLUSH = Duration.ofSeconds(10);

  private final ServiceState state;
  private final NodeService nodes;
  private final PageserverClients clients;
  private final LocationWriter writer;
  private final ShardMigrations migrations;
  private final ReconcileTrigger reconciles;
  private final ComputeNotifications notifications;
  private final OperationPersistence operations;
  private final SerializableTransactions transactions;
  private final Failpoints failpoints;

  public MigrationActivitiesImpl(
      ServiceState state,
      NodeService nodes,
      PageserverClients clients,
      LocationWriter writer,
      ShardMigrations migrations,
      ReconcileTrigger reconciles,
      ComputeNotifications notifications,
      OperationPersistence operations,
      SerializableTransactions transactions,
      Failpoints failpoints) {
    this.state = state;
    this.nodes = nodes;
    this.clients = clients;
    this.writer = writer;
    this.migrations = migrations;
    this.reconciles = reconciles;
    this.notifications = notifications;
    this.operations = operations;
    this.transactions = transactions;
    this.failpoints = failpoints;
  }

  @Override
  public void prepareDestination(String tenantShardId, long destination) {
    step(
        tenantShardId,
        "prepare destination",
        (id, snapshot) -> {
          NodeId node = new NodeId(destination);
          Optional<LocationConfig> held = snapshot.observed().getOrDefault(node, Optional.empty());
          if (held.isEmpty()) {
            writer.apply(id, node, ShardReconcilePlanner.wantedSecondary(snapshot));
          }
          return null;
        });
  }

  @Override
  public boolean warmUp(String tenantShardId, long destination, long waitMillis) {
    TenantShardId id = TenantShardId.parse(tenantShardId);
    try {
      return clients
          .client(new NodeId(destination))
          .secondaryDownload(id, Duration.ofMillis(waitMillis))
          .done();
    } catch (PageserverException e) {
      log.warn(
          "{}: warm-up on node {} failed, proceeding cold: {}", id, destination, e.getMessage());
      return true;
    }
  }

  @Override
  public Map<String, String> stepDownOrigin(String tenantShardId, long origin) {
    NodeId node = new NodeId(origin);
    // Failpoints are passed outside the shard's writer lock, so a paused step blocks no other
    // writer of the shard.
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_STEP_DOWN);
    return step(
        tenantShardId,
        "step down origin",
        (id, snapshot) -> {
          Generation generation = snapshot.generation();
          LocationConfig stale =
              withMode(
                  ShardReconcilePlanner.wantedAttached(snapshot, generation.value()),
                  generation,
                  LocationConfigMode.ATTACHED_STALE);
          writer.apply(id, node, stale, false, ORIGIN_FLUSH);
          Map<String, String> baseline = new HashMap<>();
          try {
            for (TimelineInfo timeline : clients.client(node).timelineList(id)) {
              baseline.put(timeline.timelineId().toString(), timeline.lastRecordLsn().toString());
            }
          } catch (PageserverException e) {
            log.warn("{}: no LSN baseline from node {}: {}", id, node, e.getMessage());
          }
          return baseline;
        });
  }

  @Override
  public void attachDestination(String tenantShardId, long destination) {
    NodeId node = new NodeId(destination);
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_GENERATION_INC);
    Generation issued =
        step(
            tenantShardId,
            "issue generation",
            (id, snapshot) -> writer.issueGeneration(id, node).orElseThrow(() -> gone(id)));
    failpoints.hit(FailpointNames.LIVE_MIGRATE_POST_GENERATION_INC);
    step(
        tenantShardId,
        "attach destination",
        (id, snapshot) -> {
          writer.apply(
              id,
              node,
              withMode(
                  ShardReconcilePlanner.wantedAttached(snapshot, issued.value()),
                  issued,
                  LocationConfigMode.ATTACHED_MULTI));
          return null;
        });
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_AWAIT_LSN);
  }

  @Override
  public boolean caughtUp(String tenantShardId, long destination, Map<String, String> baseline) {
    TenantShardId id = TenantShardId.parse(tenantShardId);
    Map<TimelineId, Lsn> reached = new HashMap<>();
    try {
      for (TimelineInfo timeline : clients.client(new NodeId(destination)).timelineList(id)) {
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
              Lsn at = reached.get(TimelineId.parse(e.getKey()));
              return at == null || at.compareTo(Lsn.parse(e.getValue())) >= 0;
            });
  }

  @Override
  public boolean notifyCompute(String tenantShardId, long origin) {
    TenantShardId id = TenantShardId.parse(tenantShardId);
    if (notifications.notifyOrMarkPending(id.tenantId())) {
      return true;
    }
    NodeId node = new NodeId(origin);
    if (!nodes.availableNodes().contains(node)) {
      log.info("{}: origin node {} is gone; not waiting for the compute hook", id, node);
      return true;
    }
    try {
      return clients.client(node).getLocation(id).map(c -> !c.inAttachedMode()).orElse(true);
    } catch (PageserverException e) {
      return false;
    }
  }

  @Override
  public void demoteOrigin(String tenantShardId, long origin) {
    failpoints.hit(FailpointNames.LIVE_MIGRATE_POST_NOTIFY);
    step(
        tenantShardId,
        "demote origin",
        (id, snapshot) -> {
          writer.apply(id, new NodeId(origin), ShardReconcilePlanner.wantedSecondary(snapshot));
          return null;
        });
  }

  @Override
  public void finalizeDestination(String tenantShardId, long destination) {
    NodeId node = new NodeId(destination);
    failpoints.hit(FailpointNames.LIVE_MIGRATE_POST_DETACH);
    step(
        tenantShardId,
        "finalize destination",
        (id, snapshot) -> {
          if (!holdsGeneration(id, node)) {
            throw ApplicationFailure.newNonRetryableFailure(
                id + ": node " + node + " no longer holds the newest generation",
                "GenerationMovedOn");
          }
          writer.apply(
              id,
              node,
              ShardReconcilePlanner.wantedAttached(snapshot, snapshot.generation().value()));
          return null;
        });
  }

  @Override
  public boolean destinationHoldsGeneration(String tenantShardId, long destination) {
    return holdsGeneration(TenantShardId.parse(tenantShardId), new NodeId(destination));
  }

  @Override
  public void revert(String tenantShardId, long origin, long destination) {
    NodeId originNode = new NodeId(origin);
    failpoints.hit(FailpointNames.LIVE_MIGRATE_PRE_REVERT);
    step(
        tenantShardId,
        "revert",
        (id, snapshot) -> {
          migrations.revert(id, originNode, new NodeId(destination));
          // The origin still holds the newest generation: it becomes the single attachment again
          // without a new one.
          if (holdsGeneration(id, originNode) && nodes.availableNodes().contains(originNode)) {
            writer.apply(
                id,
                originNode,
                ShardReconcilePlanner.wantedAttached(snapshot, snapshot.generation().value()));
          }
          log.info("{}: migration reverted; attached to node {} again", id, originNode);
          return null;
        });
  }

  @Override
  public void finish(String tenantShardId, long operationId, String outcome, String error) {
    TenantShardId id = TenantShardId.parse(tenantShardId);
    migrations.end(id);
    reconciles.request(id.tenantId());
    if (operationId > 0) {
      transactions.run("update_operation", () -> operations.finish(operationId, outcome, error));
      if ("succeeded".equals(outcome)) {
        transactions.run("update_operation", () -> operations.advance(operationId, 1));
      }
    }
    log.info("{}: migration {}", id, outcome);
  }

  @Override
  public void phase(long operationId, String phase) {
    transactions.run("update_operation", () -> operations.phase(operationId, phase));
  }

  private boolean holdsGeneration(TenantShardId id, NodeId node) {
    return state.read(
        () -> state.shard(id).map(s -> node.equals(s.generationPageserver())).orElse(false));
  }

  /** A step with the shard's snapshot, as its only writer, failing clearly if it was deleted. */
  private <T> T step(String tenantShardId, String what, Step<T> step) {
    TenantShardId id = TenantShardId.parse(tenantShardId);
    MDC.put("tenant_shard_id", tenantShardId);
    try {
      return writer.asWriter(
          id,
          () -> {
            TenantShard shard = state.shard(id).orElseThrow(() -> gone(id));
            ShardSnapshot snapshot = state.snapshot(shard, nodes.availableNodes());
            try {
              return step.run(id, snapshot);
            } catch (PageserverException e) {
              throw e.retryable()
                  ? ApplicationFailure.newFailure(
                      what + ": " + e.getMessage(), "PageserverUnavailable")
                  : ApplicationFailure.newNonRetryableFailure(
                      what + ": " + e.getMessage(), "PageserverRefused");
            }
          });
    } finally {
      MDC.remove("tenant_shard_id");
    }
  }

  private static ApplicationFailure gone(TenantShardId id) {
    return ApplicationFailure.newNonRetryableFailure(id + " was deleted", "ShardDeleted");
  }

  @FunctionalInterface
  private interface Step<T> {
    T run(TenantShardId id, ShardSnapshot snapshot);
  }
}
