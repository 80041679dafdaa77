package io.storagecontroller.shard;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.storagecontroller.scheduler.SchedulerNodeState;
import org.springframework.stereotype.Component;

/**
 * Gauges read at scrape time from what is already counted: Neon's {@code
 * storage_controller_tenant_shards} and the per-node {@code storage_controller_node_shards}, {@code
 * ..._node_attached_shards} and {@code ..._node_home_shards} (labels {@code az}, {@code node_id}),
 * from the scheduler's counters; a scrape costs O(nodes), never O(shards).
 */
@Component
public class FleetMetrics {
  public FleetMetrics(ShardStore state, PrometheusMeterRegistry prometheus) {
    var registry = prometheus.getPrometheusRegistry();
    GaugeWithCallback.builder()
        .name("storage_controller_tenant_shards")
        .help("Tenant shards held in memory")
        .callback(cb -> cb.call(state.size()))
        .register(registry);
    nodeGauge(
        state, registry, "storage_controller_node_shards", "Shards placed on the node", Count.ALL);
    nodeGauge(
        state,
        registry,
        "storage_controller_node_attached_shards",
        "Attached shards placed on the node",
        Count.ATTACHED);
    nodeGauge(
        state,
        registry,
        "storage_controller_node_home_shards",
        "Shards on the node whose preferred zone is the node's",
        Count.HOME);
  }

  private enum Count {
    ALL,
    ATTACHED,
    HOME
  }

  private static void nodeGauge(
      ShardStore state,
      io.prometheus.metrics.model.registry.PrometheusRegistry registry,
      String name,
      String help,
      Count count) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("az", "node_id")
        .callback(
            cb -> {
              for (SchedulerNodeState node : state.scheduler().dump().nodes().values()) {
                long value =
                    switch (count) {
                      case ALL -> node.shardCount();
                      case ATTACHED -> node.attachedShardCount();
                      case HOME -> node.homeShardCount();
                    };
                cb.call(value, node.az() == null ? "" : node.az(), node.nodeId().toString());
              }
            })
        .register(registry);
  }
}
