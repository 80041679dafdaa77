package io.storagecontroller.tools.simulator;

import io.storagecontroller.pageserver.SecondaryProgress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A secondary location's download of the layers its shard's heatmap lists. It progresses linearly
 * over a fixed simulated time, so callers see 202 with partial progress and then 200; with no
 * heatmap ({@code heatmapMtime} null) it shows nothing and never completes.
 */
record SecondaryDownload(
    Instant startedAt, Duration duration, Instant heatmapMtime, long layersTotal) {

  static final long LAYER_BYTES = 8L << 20;

  private static final DateTimeFormatter RFC3339_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** A shard's heatmap lists a few layers per timeline. */
  static long layersFor(int timelines) {
    return 4 + 4L * timelines;
  }

  Instant completesAt() {
    return startedAt.plus(duration);
  }

  /** Never without a heatmap: there is nothing to download yet. */
  boolean isComplete(Instant now) {
    return heatmapMtime != null && !now.isBefore(completesAt());
  }

  SecondaryProgress progress(Instant now) {
    long layers =
        isComplete(now)
            ? layersTotal
            : layersTotal * Duration.between(startedAt, now).toMillis() / duration.toMillis();
    return progress(heatmapMtime, Math.max(0, layers), layersTotal);
  }

  /** Progress before any download: the heatmap's size is known, nothing is on disk yet. */
  static SecondaryProgress notStarted(Instant heatmapMtime, long layersTotal) {
    return progress(heatmapMtime, 0, layersTotal);
  }

  private static SecondaryProgress progress(Instant heatmapMtime, long layers, long layersTotal) {
    if (heatmapMtime == null) {
      return new SecondaryProgress(null, 0, 0, 0, 0);
    }
    return new SecondaryProgress(
        RFC3339_MILLIS.format(heatmapMtime),
        layers,
        layersTotal,
        layers * LAYER_BYTES,
        layersTotal * LAYER_BYTES);
  }
}
