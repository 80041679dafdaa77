package io.storagecontroller.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the command line configures (see {@code ControllerCommand}). Secrets are held here but
 * never printed: {@link #toString()} redacts them.
 */
@ConfigurationProperties("storage-controller")
public record ControllerProperties(
    @DefaultValue(".storage_controller") Path dataDir,
    String databaseUrl,
    String temporalTarget,
    String listenHttps,
    String publicKey,
    String jwtToken,
    String safekeeperJwtToken,
    String controlPlaneJwtToken,
    String peerJwtToken,
    String controlPlaneUrl,
    boolean dev,
    @DefaultValue("30s") Duration maxOfflineInterval,
    @DefaultValue("300s") Duration maxWarmingUpInterval,
    @DefaultValue("5s") Duration heartbeatInterval,
    @DefaultValue("120s") Duration longReconcileThreshold,
    @DefaultValue("20s") Duration optimiserInterval,
    @DefaultValue("20s") Duration controlLoopInterval,
    @DefaultValue("5s") Duration dbConnectTimeout,
    Duration shardSplitRequestTimeout,
    @DefaultValue("128") int reconcilerConcurrency,
    @DefaultValue("256") int priorityReconcilerConcurrency,
    @DefaultValue("10") int tenantRateLimit,
    Long splitThreshold,
    @DefaultValue("16") int maxSplitShards,
    Long initialSplitThreshold,
    @DefaultValue("2") int initialSplitShards,
    Long maxSecondaryLagBytes,
    String addressForPeers,
    boolean startAsCandidate,
    boolean useHttpsPageserverApi,
    Path sslCaFile,
    Path sslCertFile,
    Path sslKeyFile,
    boolean kickSecondaryDownloads,
    boolean enableFailpoints) {

  /** True when no external database is configured and the embedded PostgreSQL is used. */
  public boolean embeddedDatabase() {
    return databaseUrl == null || databaseUrl.isBlank();
  }

  @Override
  public String toString() {
    return "ControllerProperties[dataDir="
        + dataDir
        + ", database="
        + (embeddedDatabase() ? "embedded" : "external")
        + ", temporalTarget="
        + (temporalTarget == null ? "in-process" : temporalTarget)
        + ", dev="
        + dev
        + ", enableFailpoints="
        + enableFailpoints
        + ", publicKey="
        + redacted(publicKey)
        + ", jwtToken="
        + redacted(jwtToken)
        + ", controlPlaneJwtToken="
        + redacted(controlPlaneJwtToken)
        + ", controlPlaneUrl="
        + controlPlaneUrl
        + ", maxOfflineInterval="
        + maxOfflineInterval
        + ", heartbeatInterval="
        + heartbeatInterval
        + ", reconcilerConcurrency="
        + reconcilerConcurrency
        + "]";
  }

  private static String redacted(String secret) {
    return secret == null || secret.isBlank() ? "unset" : "<set>";
  }
}
