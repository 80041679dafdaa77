package io.storagecontroller.orchestration;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.ShardSchedulingPolicy;
import io.storagecontroller.model.ShardStripeSize;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.operation.OperationLog;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.TopTenantShards;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.split.AutoSplitPolicy;
import io.storagecontroller.split.SplitParameters;
import io.storagecontroller.split.SplitPreconditions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Splits tenants that have outgrown their shards ({@code --split-threshold}, {@code
 * --initial-split-threshold}), one at a time, on each control-loop pass, as Neon's {@code
 * autosplit_tenants}: the candidates are the largest tenants the available pageservers report
 * ({@code top_tenants}); the first that the policy would split, whose shards are Active and free,
 * is split by the split saga as if an operator had asked, so it is an operation like any other
 * (watched, cancelled and retried through the operations API). A tenant whose last split was
 * cancelled is not split automatically again until a split of it succeeds (asked through the API or
 * retried through the operations API): the cancel is the operator's word.
 */
@Component
public class AutoSplit {
  private static final Logger log = LoggerFactory.getLogger(AutoSplit.class);

  private final AutoSplitPolicy policy;
  private final NodeService nodes;
  private final PageserverClients clients;
  private final ShardStore store;
  private final ShardSplitService splits;
  private final OperationLog operations;
  private final Counter started;
  // Asks every pageserver at once: one that times out does not hold up the others.
  private final ExecutorService calls =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "auto-split-top-tenants");
            t.setDaemon(true);
            return t;
          });

  public AutoSplit(
      ControllerProperties properties,
      NodeService nodes,
      PageserverClients clients,
      ShardStore store,
      ShardSplitService splits,
      OperationLog operations,
      PrometheusMeterRegistry prometheus) {
    this.policy =
        AutoSplitPolicy.of(
            properties.splitThreshold(),
            properties.maxSplitShards(),
            properties.initialSplitThreshold(),
            properties.initialSplitShards());
    this.nodes = nodes;
    this.clients = clients;
    this.store = store;
    this.splits = splits;
    this.operations = operations;
    this.started =
        Counter.builder()
            .name("storage_controller_auto_splits")
            .help("Automatic splits started, by kind (initial or size)")
            .labelNames("kind")
            .withoutExemplars()
            .register(prometheus.getPrometheusRegistry());
  }

  /** The split started by this pass, if any. */
  public synchronized Optional<Operation> pass() {
    if (!policy.enabled() || splitRunning()) {
      return Optional.empty();
    }
    for (TopTenantShards.Shard candidate : candidates()) {
      Optional<Operation> split = trySplit(candidate);
      if (split.isPresent()) {
        return split;
      }
    }
    return Optional.empty();
  }

  /** One split at a time: a split running, automatic or not, waits for the next pass. */
  private boolean splitRunning() {
    return operations.running().stream().anyMatch(op -> ShardSplitService.KIND.equals(op.kind()));
  }

  private Optional<Operation> trySplit(TopTenantShards.Shard candidate) {
    TenantId tenant = candidate.id().tenantId();
    List<ShardView> shards = store.tenant(tenant);
    if (shards.isEmpty()
        || shards.stream()
            .anyMatch(s -> s.schedulingPolicy() != ShardSchedulingPolicy.ACTIVE || s.held())) {
      return Optional.empty();
    }
    Optional<Operation> last = operations.latest(ShardSplitService.KIND, tenant.toString());
    if (last.isPresent() && Operation.CANCELLED.equals(last.get().state())) {
      // An operator stopped this tenant's last split: splitting it again at once would undo
      // that. A split asked through the API (and succeeding) makes it eligible again.
      return Optional.empty();
    }
    int current = shards.get(0).id().shardCount().count();
    OptionalInt count = policy.newShardCount(current, candidate.maxLogicalSize());
    if (count.isEmpty()) {
      return Optional.empty();
    }
    Long stripe = AutoSplitPolicy.newStripeSize(current);
    try {
      SplitPreconditions.check(
          tenant,
          shards,
          ShardCount.of(count.getAsInt()),
          stripe == null ? null : ShardStripeSize.of(stripe),
          nodes.availableNodes());
      Operation operation = splits.start(tenant, new SplitParameters(count.getAsInt(), stripe));
      started
          .labelValues(
              policy.initialSplit(current, candidate.maxLogicalSize()) ? "initial" : "size")
          .inc();
      log.info(
          "tenant {}: auto-splitting {} -> {} shards, largest timeline {} bytes"
              + " (split_threshold={}, initial_split_threshold={}; operation {})",
          tenant,
          current,
          count.getAsInt(),
          candidate.maxLogicalSize(),
          policy.splitThreshold(),
          policy.initialSplitThreshold(),
          operation.id());
      return Optional.of(operation);
    } catch (Refusal refused) {
      log.info("tenant {}: not auto-split now: {}", tenant, refused.getMessage());
      return Optional.empty();
    }
  }

  /** Every available pageserver's answers, per query in the policy's order, largest first. */
  private List<TopTenantShards.Shard> candidates() {
    List<NodeId> available = nodes.availableNodes().stream().sorted().toList();
    List<TopTenantShards.Shard> candidates = new ArrayList<>();
    for (TopTenantShards.Request query : policy.candidateQueries()) {
      List<Future<TopTenantShards.Response>> answers = new ArrayList<>();
      for (NodeId node : available) {
        answers.add(calls.submit(() -> clients.client(node).topTenants(query)));
      }
      List<TopTenantShards.Shard> found = new ArrayList<>();
      for (int i = 0; i < answers.size(); i++) {
        answer(available.get(i), answers.get(i)).ifPresent(r -> found.addAll(r.shards()));
      }
      found.sort(Comparator.comparingLong(TopTenantShards.Shard::maxLogicalSize).reversed());
      candidates.addAll(found);
    }
    return candidates;
  }

  private static Optional<TopTenantShards.Response> answer(
      NodeId node, Future<TopTenantShards.Response> answer) {
    try {
      return Optional.of(answer.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PageserverException failure) {
        log.warn("node {}: cannot list its largest tenants: {}", node, failure.getMessage());
        return Optional.empty();
      }
      throw new IllegalStateException("top_tenants of node " + node + " failed", e.getCause());
    }
  }
}
