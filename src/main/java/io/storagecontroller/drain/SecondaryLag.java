package io.storagecontroller.drain;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.SecondaryProgress;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Neon's drain check: a shard leaves a draining node only for a secondary that has downloaded all
 * but {@code --max-secondary-lag-bytes} of its heatmap (default 256 MiB, Neon's), asked of the
 * destination's pageserver. A secondary whose lag cannot be told (no heatmap yet, the call failed)
 * is not used either: the shard stays, as in Neon, and the drain reports it as skipped.
 */
@Component
public class SecondaryLag {
  private static final Logger log = LoggerFactory.getLogger(SecondaryLag.class);

  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  private final PageserverClients pageservers;
  private final long maxBytes;

  public SecondaryLag(PageserverClients pageservers, ControllerProperties properties) {
    this.pageservers = pageservers;
    this.maxBytes =
        properties.maxSecondaryLagBytes() == null
            ? DEFAULT_MAX_BYTES
            : properties.maxSecondaryLagBytes();
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Whether the secondary is close enough behind to take the attachment. */
  public boolean acceptable(TenantShardId shard, NodeId secondary) {
    OptionalLong lag = lag(shard, secondary);
    if (lag.isEmpty()) {
      log.info("{}: lag of the secondary on node {} unknown: skipped", shard, secondary);
      return false;
    }
    if (lag.getAsLong() > maxBytes) {
      log.info(
          "{}: secondary on node {} lags by {} bytes (over {}): skipped",
          shard,
          secondary,
          lag.getAsLong(),
          maxBytes);
      return false;
    }
    return true;
  }

  /** Bytes the secondary still has to download; empty when unknown. */
  OptionalLong lag(TenantShardId shard, NodeId secondary) {
    try {
      SecondaryProgress status = pageservers.client(secondary).secondaryStatus(shard);
      return status.heatmapMtime() == null
          ? OptionalLong.empty()
          : OptionalLong.of(Math.max(0, status.bytesTotal() - status.bytesDownloaded()));
    } catch (PageserverException e) {
      log.warn("{}: secondary status from node {} failed: {}", shard, secondary, e.getMessage());
      return OptionalLong.empty();
    }
  }
}
