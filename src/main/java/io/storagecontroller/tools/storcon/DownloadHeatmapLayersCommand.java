package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code storcon download-heatmap-layers}: fetch a timeline's missing heatmap layers. */
@Command(
    name = "download-heatmap-layers",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Download any missing heatmap layers of a timeline, on every shard or on one.")
final class DownloadHeatmapLayersCommand extends ApiCommand {
  @Option(
      names = "--tenant-shard-id",
      required = true,
      description =
          "A tenant id (unsharded spelling): every shard; a tenant shard id: only that shard.")
  String tenantShardId;

  @Option(names = "--timeline-id", required = true)
  String timelineId;

  @Option(
      names = "--concurrency",
      description = "Maximum download concurrency (default: the pageserver's, 16).")
  Integer concurrency;

  @Override
  public Integer call() {
    return done(
        api()
            .post(
                "/v1/tenant/"
                    + tenantShardId
                    + "/timeline/"
                    + timelineId
                    + "/download_heatmap_layers"
                    + (concurrency == null ? "" : "?concurrency=" + concurrency),
                null),
        "heatmap layer download requested for timeline " + timelineId + " of " + tenantShardId);
  }
}
