package io.storagecontroller.tools.storcon;

import io.storagecontroller.cli.HumanDurationConverter;
import io.storagecontroller.model.HumanDuration;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code storcon tenant-set-time-based-eviction}: Neon's shortcut for an eviction policy by layer
 * access time. Like Neon's, it sets the whole tenant config (other fields are dropped): the policy,
 * and the 5-minute heatmap period that secondaries need to follow it.
 */
@Command(
    name = "tenant-set-time-based-eviction",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Set a tenant's config to evict layers not accessed within --threshold, checked every"
          + " --period, with a 5m heatmap period. Replaces the rest of the tenant's config."
    })
final class TenantSetTimeBasedEvictionCommand extends ApiCommand {
  /** Neon's value: heatmaps are uploaded every 5 minutes. */
  static final Duration HEATMAP_PERIOD = Duration.ofMinutes(5);

  @Option(names = "--tenant-id", required = true)
  String tenantId;

  @Option(
      names = "--period",
      required = true,
      converter = HumanDurationConverter.class,
      description = "How often eviction runs, e.g. 20m.")
  Duration period;

  @Option(
      names = "--threshold",
      required = true,
      converter = HumanDurationConverter.class,
      description = "Evict layers not accessed for this long, e.g. 20m.")
  Duration threshold;

  @Override
  public Integer call() {
    ObjectNode config = ControllerApi.object();
    ObjectNode policy = config.putObject("eviction_policy");
    policy.put("kind", "LayerAccessThreshold");
    policy.put("period", HumanDuration.format(period));
    policy.put("threshold", HumanDuration.format(threshold));
    config.put("heatmap_period", HumanDuration.format(HEATMAP_PERIOD));
    return done(
        api().put("/v1/tenant/config", TenantConfigCommand.request(tenantId, config)),
        "tenant "
            + tenantId
            + ": evict layers not accessed for "
            + HumanDuration.format(threshold)
            + ", every "
            + HumanDuration.format(period));
  }
}
