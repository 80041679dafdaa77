package io.storagecontroller.cli;

import io.storagecontroller.StorageControllerApplication;
import io.storagecontroller.auth.AwsSecretsManager;
import io.storagecontroller.auth.Ed25519Keys;
import io.storagecontroller.auth.Secrets;
import io.storagecontroller.auth.Secrets.Secret;
import io.storagecontroller.auth.StrictMode;
import io.storagecontroller.config.StartRefused;
import io.storagecontroller.tls.TlsMaterial;
import io.storagecontroller.tools.bench.BenchCommand;
import io.storagecontroller.tools.chaos.ChaosCommand;
import io.storagecontroller.tools.demo.DemoCommand;
import io.storagecontroller.tools.simulator.SimulateCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * The controller's command line: Neon's flags (same names, same environment variables for secrets)
 * plus the embedded-defaults flags of this implementation. Flags that later features give meaning
 * to are accepted and handed to the service already.
 */
@Command(
    name = "storage_controller",
    mixinStandardHelpOptions = true,
    version = "storage_controller 0.1.0",
    sortOptions = false,
    subcommands = {
      SimulateCommand.class,
      TokenCommand.class,
      BenchCommand.class,
      ChaosCommand.class,
      DemoCommand.class
    },
    description =
        "Places tenant shards on pageservers, issues generations and drives pageservers to the intent.%n"
            + "With no --database-url it runs an embedded PostgreSQL under --data-dir; with no"
            + " --temporal-target it runs an in-process Temporal service.")
public final class ControllerCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ControllerCommand.class);

  @Option(
      names = {"-l", "--listen"},
      defaultValue = "127.0.0.1:1234",
      converter = ListenAddress.Converter.class,
      description = "Plain-HTTP listen address ip:port (default: ${DEFAULT-VALUE}).")
  ListenAddress listen;

  @Option(
      names = "--listen-https",
      converter = ListenAddress.Converter.class,
      description =
          "HTTPS listen address ip:port, serving the same API as --listen with --ssl-cert-file"
              + " and --ssl-key-file (default: none).")
  ListenAddress listenHttps;

  @Option(
      names = "--data-dir",
      defaultValue = ".storage_controller",
      description = "Where the embedded PostgreSQL keeps its data (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--database-url",
      defaultValue = "${env:DATABASE_URL}",
      description =
          "PostgreSQL URL (postgresql://user:pass@host:port/db or jdbc:postgresql://...); env DATABASE_URL."
              + " Without it an embedded PostgreSQL is used.")
  String databaseUrl;

  @Option(
      names = "--temporal-target",
      description =
          "Temporal frontend host:port. Without it an in-process Temporal service is used.")
  String temporalTarget;

  @Option(
      names = "--temporal-namespace",
      defaultValue = "default",
      description = "Temporal namespace (default: ${DEFAULT-VALUE}).")
  String temporalNamespace;

  @Option(
      names = "--temporal-sticky-timeout",
      defaultValue = "5s",
      converter = HumanDurationConverter.class,
      description =
          "How long a workflow task waits for the worker that ran its workflow last before any"
              + " worker may take it (default: ${DEFAULT-VALUE}); 0s turns sticky execution off,"
              + " as the Temporal SDK's test server needs: it never hands a dead worker's tasks on.")
  Duration temporalStickyTimeout;

  @Option(
      names = "--embedded-temporal-retention",
      defaultValue = "10s",
      converter = HumanDurationConverter.class,
      description =
          "How long the in-process Temporal service keeps a workflow after it finished (default:"
              + " ${DEFAULT-VALUE}); 0s keeps every one, and memory then grows with every workflow"
              + " run. Only with the in-process service: refused with --temporal-target.")
  Duration embeddedTemporalRetention;

  @Option(
      names = "--public-key",
      defaultValue = "${env:PUBLIC_KEY}",
      description =
          "Ed25519 public key verifying incoming JWTs: the PEM text or a PEM file's path; env"
              + " PUBLIC_KEY. Without it auth is off, which only --dev allows.")
  String publicKey;

  @Option(
      names = "--jwt-token",
      defaultValue = "${env:PAGESERVER_JWT_TOKEN}",
      description = "Token for calls to pageservers; env PAGESERVER_JWT_TOKEN.")
  String jwtToken;

  @Option(
      names = "--safekeeper-jwt-token",
      defaultValue = "${env:SAFEKEEPER_JWT_TOKEN}",
      description = "Token for calls to safekeepers; env SAFEKEEPER_JWT_TOKEN.")
  String safekeeperJwtToken;

  @Option(
      names = "--control-plane-jwt-token",
      defaultValue = "${env:CONTROL_PLANE_JWT_TOKEN}",
      description = "Token for compute-hook calls; env CONTROL_PLANE_JWT_TOKEN.")
  String controlPlaneJwtToken;

  @Option(
      names = "--peer-jwt-token",
      defaultValue = "${env:PEER_JWT_TOKEN}",
      description = "Token for step-down calls to a previous leader; env PEER_JWT_TOKEN.")
  String peerJwtToken;

  @Option(
      names = {"--control-plane-url", "--compute-hook-url"},
      description =
          "Control plane URL prefix for compute notifications (--compute-hook-url is the old name).")
  String controlPlaneUrl;

  @Option(
      names = "--secrets-manager",
      paramLabel = "REGION|URL",
      description =
          "Read the secrets that no flag or environment variable gives from AWS Secrets Manager"
              + " in this region (or at this endpoint URL), under Neon's secret ids.")
  String secretsManager;

  @Option(
      names = "--dev",
      description =
          "Development mode: allow missing secrets, no auth (without --public-key) and no"
              + " --control-plane-url.")
  boolean dev;

  @Option(
      names = "--max-offline-interval",
      defaultValue = "30s",
      converter = HumanDurationConverter.class,
      description = "Heartbeat grace before a node is marked Offline (default: ${DEFAULT-VALUE}).")
  Duration maxOfflineInterval;

  @Option(
      names = "--max-warming-up-interval",
      defaultValue = "300s",
      converter = HumanDurationConverter.class,
      description = "Grace for a node warming up after re-attach (default: ${DEFAULT-VALUE}).")
  Duration maxWarmingUpInterval;

  @Option(
      names = "--heartbeat-interval",
      defaultValue = "5s",
      converter = HumanDurationConverter.class,
      description = "Node heartbeat period (default: ${DEFAULT-VALUE}).")
  Duration heartbeatInterval;

  @Option(
      names = "--long-reconcile-threshold",
      defaultValue = "120s",
      converter = HumanDurationConverter.class,
      description =
          "A reconcile running longer is logged and shown in"
              + " storage_controller_reconcile_long_running (default: ${DEFAULT-VALUE}).")
  Duration longReconcileThreshold;

  @Option(
      names = "--control-loop-interval",
      defaultValue = "20s",
      converter = HumanDurationConverter.class,
      description =
          "How often the control loop runs (default: ${DEFAULT-VALUE}, Neon's background reconcile"
              + " period): the reconcile sweep, evacuation of nodes offline for"
              + " --max-offline-interval, repair of long operations, the optimiser's start.")
  Duration controlLoopInterval;

  @Option(
      names = "--optimiser-interval",
      defaultValue = "20s",
      converter = HumanDurationConverter.class,
      description =
          "How long the background optimiser waits after a pass that found nothing to move"
              + " (default: ${DEFAULT-VALUE}); a pass that moved shards is followed by the next at"
              + " once. 0s turns the optimiser off.")
  Duration optimiserInterval;

  @Option(
      names = "--db-connect-timeout",
      defaultValue = "5s",
      converter = HumanDurationConverter.class,
      description = "How long to wait for the database at start-up (default: ${DEFAULT-VALUE}).")
  Duration dbConnectTimeout;

  @Option(
      names = "--shard-split-request-timeout",
      converter = HumanDurationConverter.class,
      description = "HTTP timeout of pageserver shard_split calls (default: unlimited).")
  Duration shardSplitRequestTimeout;

  @Option(
      names = "--reconciler-concurrency",
      defaultValue = "128",
      description =
          "Shard reconciles running at once at normal priority; more wait for a slot (default:"
              + " ${DEFAULT-VALUE}).")
  int reconcilerConcurrency;

  @Option(
      names = "--priority-reconciler-concurrency",
      defaultValue = "256",
      description =
          "Shard reconciles running at once for evacuations and other urgent work (default:"
              + " ${DEFAULT-VALUE}).")
  int priorityReconcilerConcurrency;

  @Option(
      names = "--tenant-rate-limit",
      defaultValue = "10",
      description =
          "Requests per second per tenant on tenant routes; more wait for their turn, and one"
              + " more than 2 s away is refused with 429 (default: ${DEFAULT-VALUE}).")
  int tenantRateLimit;

  @Option(
      names = "--split-threshold",
      description =
          "Split a tenant automatically when its largest timeline's logical size per shard is"
              + " above this many bytes, into a power of two of shards that brings it under"
              + " (default: off).")
  Long splitThreshold;

  @Option(
      names = "--max-split-shards",
      defaultValue = "16",
      description =
          "No automatic split goes past this many shards; 0 or 1 turns auto-split off (default:"
              + " ${DEFAULT-VALUE}).")
  int maxSplitShards;

  @Option(
      names = "--initial-split-threshold",
      description =
          "Split an unsharded tenant automatically once its largest timeline's logical size is"
              + " above this many bytes, into at least --initial-split-shards (default: off).")
  Long initialSplitThreshold;

  @Option(
      names = "--initial-split-shards",
      defaultValue = "2",
      description =
          "Shard count of the initial split; 0 or 1 turns initial splits off (default:"
              + " ${DEFAULT-VALUE}).")
  int initialSplitShards;

  @Option(
      names = "--max-secondary-lag-bytes",
      description =
          "A drain moves a shard to its secondary only when that secondary has at most this many"
              + " bytes of its heatmap left to download; other shards stay and the drain reports"
              + " them (default: 268435456, 256 MiB, as Neon).")
  Long maxSecondaryLagBytes;

  @Option(
      names = "--address-for-peers",
      description =
          "This instance's URL, recorded as the leader in the database (GET /control/v1/leader).")
  String addressForPeers;

  @Option(
      names = "--start-as-candidate",
      description =
          "Start as Candidate: ask the leader recorded in the database to step down, then lead"
              + " (needs --database-url).")
  boolean startAsCandidate;

  @Option(
      names = "--use-https-pageserver-api",
      description =
          "Call pageservers over HTTPS at their registered https port, verifying their"
              + " certificates (JDK roots and --ssl-ca-file); a pageserver without an https port"
              + " cannot register (412).")
  boolean useHttpsPageserverApi;

  @Option(
      names = "--kick-secondary-downloads",
      arity = "1",
      defaultValue = "false",
      description =
          "true: a live migration whose destination has no heatmap yet asks the attached"
              + " pageserver to upload one at once, instead of waiting for its periodic upload"
              + " (default: ${DEFAULT-VALUE}; Neon's tests use true).")
  boolean kickSecondaryDownloads;

  @Option(
      names = "--ssl-cert-file",
      description =
          "PEM certificate chain served on --listen-https (default: server.crt; only with"
              + " --listen-https).")
  Path sslCertFile;

  @Option(
      names = "--ssl-key-file",
      description =
          "PEM private key of --ssl-cert-file (default: server.key; only with --listen-https).")
  Path sslKeyFile;

  @Option(
      names = "--ssl-ca-file",
      description =
          "PEM bundle of root CAs trusted, beside the JDK's, by calls over HTTPS (pageservers,"
              + " the control plane).")
  Path sslCaFile;

  @Option(
      names = "--neon-local-repo-dir",
      description = "neon_local's directory: accepted for Neon's launcher, with a warning.")
  Path neonLocalRepoDir;

  @Option(
      names = "--use-local-compute-notifications",
      description =
          "neon_local's local compute notifications: accepted for Neon's launcher (--dev only),"
              + " with a warning; notifications go only to --control-plane-url.")
  boolean useLocalComputeNotifications;

  @Option(
      names = "--timeline-safekeeper-count",
      defaultValue = "3",
      description =
          "Safekeepers per new timeline: accepted for Neon's launcher, with a warning (this"
              + " controller does not manage safekeepers); below 3 only with --dev.")
  int timelineSafekeeperCount;

  @Option(
      names = "--timelines-onto-safekeepers",
      description =
          "Create timelines on safekeepers: accepted for Neon's launcher, with a warning.")
  boolean timelinesOntoSafekeepers;

  @Option(
      names = "--use-https-safekeeper-api",
      description = "Call safekeepers over HTTPS: accepted for Neon's launcher, with a warning.")
  boolean useHttpsSafekeeperApi;

  @Option(
      names = "--safekeeper-reconciler-concurrency",
      defaultValue = "32",
      description =
          "Safekeeper reconciles per safekeeper: accepted for Neon's launcher, with a warning.")
  int safekeeperReconcilerConcurrency;

  @Option(
      names = "--enable-failpoints",
      description =
          "Let PUT /debug/v1/failpoints inject failures, pauses, delays and exits at named steps"
              + " (for tests; --dev enables them too).")
  boolean enableFailpoints;

  @Spec CommandSpec spec;

  private PrintWriter out;

  /**
   * The configured command line with Neon's error behaviour: one line naming the flag, exit status
   * 2.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    ControllerCommand command = new ControllerCommand();
    command.out = out;
    CommandLine cli = new CommandLine(command);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          err.println("storage_controller: " + ex.getMessage() + " (see --help)");
          err.flush();
          return CommandLine.ExitCode.USAGE;
        });
    return cli;
  }

  @Override
  public Integer call() {
    if (startAsCandidate && (databaseUrl == null || databaseUrl.isBlank())) {
      throw new ParameterException(
          spec.commandLine(),
          "--start-as-candidate takes over from a leader on a shared database: give its"
              + " --database-url (the embedded database is one controller's own)");
    }
    requirePositive("--reconciler-concurrency", reconcilerConcurrency);
    requirePositive("--priority-reconciler-concurrency", priorityReconcilerConcurrency);
    requirePositive("--tenant-rate-limit", tenantRateLimit);
    requirePositive("--control-loop-interval", controlLoopInterval.toMillis());
    requireShardCount("--max-split-shards", maxSplitShards);
    requireShardCount("--initial-split-shards", initialSplitShards);
    requireNotNegative("--split-threshold", splitThreshold);
    requireNotNegative("--initial-split-threshold", initialSplitThreshold);
    if (maxSecondaryLagBytes != null && maxSecondaryLagBytes < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--max-secondary-lag-bytes': must not be negative, got "
              + maxSecondaryLagBytes);
    }
    Map<String, Object> properties;
    try {
      properties = configuration();
    } catch (AwsSecretsManager.UnavailableException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("storage_controller: " + e.getMessage());
      err.flush();
      return CommandLine.ExitCode.SOFTWARE;
    }
    try {
      StorageControllerApplication.start(properties);
    } catch (RuntimeException e) {
      StartRefused refused = startRefused(e);
      if (refused == null) {
        throw e;
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("storage_controller: " + refused.getMessage());
      err.flush();
      return CommandLine.ExitCode.USAGE;
    }
    out.flush();
    return CommandLine.ExitCode.OK;
  }

  /** Where the embedded PostgreSQL keeps its data. */
  public Path dataDir() {
    return dataDir;
  }

  /** Runs on a data directory of the caller's (the demo's scratch directory). */
  public void useDataDir(Path directory) {
    dataDir = directory;
  }

  /** Development mode: auth off, failpoints on (the demo). */
  public void useDevMode() {
    dev = true;
  }

  /** The base URL the controller listens on. */
  public String url() {
    return "http://" + listen.host() + ":" + listen.port();
  }

  /**
   * The service's settings once the secrets are complete (flag, else environment, else the secrets
   * manager) and strict mode is satisfied; a refusal is a {@link ParameterException} (one line,
   * exit status 2).
   */
  public Map<String, Object> configuration() {
    resolveSecrets();
    if (publicKey != null && !publicKey.isBlank()) {
      try {
        // Read a key file now, and refuse a bad key before anything starts.
        publicKey = Ed25519Keys.pemText(publicKey, "the public key");
        Ed25519Keys.parsePublicKey(publicKey);
      } catch (Ed25519Keys.InvalidKeyException e) {
        throw new ParameterException(
            spec.commandLine(), "Invalid value for option '--public-key': " + e.getMessage());
      }
    }
    if (temporalTarget != null
        && !temporalTarget.isBlank()
        && spec.commandLine().getParseResult().hasMatchedOption("--embedded-temporal-retention")) {
      throw new ParameterException(
          spec.commandLine(),
          "--embedded-temporal-retention applies to the in-process Temporal service only; with"
              + " --temporal-target the Temporal namespace's retention applies");
    }
    ParseResult given = spec.commandLine().getParseResult();
    if (!dev && useLocalComputeNotifications) {
      throw new ParameterException(
          spec.commandLine(), "--use-local-compute-notifications is only allowed with --dev");
    }
    if (timelineSafekeeperCount < 1 || (!dev && timelineSafekeeperCount < 3)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--timeline-safekeeper-count': "
              + timelineSafekeeperCount
              + " (at least 3, or 1 with --dev)");
    }
    checkTls(given);
    UnsupportedFlags.warnings(given).forEach(log::warn);
    if (!dev) {
      List<String> missing =
          StrictMode.missing(publicKey, jwtToken, controlPlaneJwtToken, controlPlaneUrl);
      if (!missing.isEmpty()) {
        throw new ParameterException(spec.commandLine(), StrictMode.refusal(missing));
      }
    }
    return springProperties();
  }

  /**
   * HTTPS files are read now, so that a missing or unusable one refuses the start in one line
   * naming its flag rather than failing the first handshake. Neon's defaults apply to the server's
   * certificate and key.
   */
  private void checkTls(ParseResult given) {
    if (listenHttps == null) {
      for (String flag : List.of("--ssl-cert-file", "--ssl-key-file")) {
        if (given.hasMatchedOption(flag)) {
          throw new ParameterException(
              spec.commandLine(), flag + " is used only with --listen-https, which is not given");
        }
      }
    } else {
      sslCertFile = sslCertFile == null ? Path.of("server.crt") : sslCertFile;
      sslKeyFile = sslKeyFile == null ? Path.of("server.key") : sslKeyFile;
      try {
        TlsMaterial.serverContext(sslCertFile, sslKeyFile);
      } catch (TlsMaterial.InvalidTlsFileException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--listen-https cannot serve with --ssl-cert-file/--ssl-key-file: " + e.getMessage());
      }
    }
    if (sslCaFile != null) {
      try {
        TlsMaterial.certificates(sslCaFile);
      } catch (TlsMaterial.InvalidTlsFileException e) {
        throw new ParameterException(
            spec.commandLine(), "Invalid value for option '--ssl-ca-file': " + e.getMessage());
      }
    }
  }

  /** Fills in from {@code --secrets-manager} the secrets that no flag or variable gave. */
  private void resolveSecrets() {
    if (secretsManager == null || secretsManager.isBlank()) {
      return;
    }
    Map<Secret, String> given = new EnumMap<>(Secret.class);
    putSecretIfSet(given, Secret.DATABASE_URL, databaseUrl);
    putSecretIfSet(given, Secret.PUBLIC_KEY, publicKey);
    putSecretIfSet(given, Secret.PAGESERVER_JWT_TOKEN, jwtToken);
    putSecretIfSet(given, Secret.CONTROL_PLANE_JWT_TOKEN, controlPlaneJwtToken);
    if (given.size() == Secret.values().length) {
      return;
    }
    AwsSecretsManager store;
    try {
      store =
          AwsSecretsManager.connect(secretsManager, DefaultCredentialsProvider.builder().build());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for option '--secrets-manager': " + e.getMessage());
    }
    try (store) {
      Map<Secret, String> all = Secrets.complete(given, store);
      databaseUrl = all.get(Secret.DATABASE_URL);
      publicKey = all.get(Secret.PUBLIC_KEY);
      jwtToken = all.get(Secret.PAGESERVER_JWT_TOKEN);
      controlPlaneJwtToken = all.get(Secret.CONTROL_PLANE_JWT_TOKEN);
    }
  }

  /** The flags as Spring properties; they take precedence over application.yml. */
  Map<String, Object> springProperties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("server.address", listen.host());
    p.put("server.port", listen.port());
    String prefix = "storage-controller.";
    p.put(prefix + "data-dir", dataDir.toString());
    putIfSet(p, prefix + "database-url", databaseUrl);
    if (temporalTarget != null && !temporalTarget.isBlank()) {
      p.put("spring.temporal.test-server.enabled", false);
      p.put("spring.temporal.connection.target", temporalTarget);
    }
    p.put("spring.temporal.namespace", temporalNamespace);
    p.put(prefix + "temporal-sticky-timeout", temporalStickyTimeout.toString());
    p.put(prefix + "embedded-temporal-retention", embeddedTemporalRetention.toString());
    putIfSet(p, prefix + "temporal-target", temporalTarget);
    putIfSet(p, prefix + "listen-https", listenHttps == null ? null : listenHttps.toString());
    putIfSet(p, prefix + "public-key", publicKey);
    putIfSet(p, prefix + "jwt-token", jwtToken);
    putIfSet(p, prefix + "safekeeper-jwt-token", safekeeperJwtToken);
    putIfSet(p, prefix + "control-plane-jwt-token", controlPlaneJwtToken);
    putIfSet(p, prefix + "peer-jwt-token", peerJwtToken);
    putIfSet(p, prefix + "control-plane-url", controlPlaneUrl);
    p.put(prefix + "dev", dev);
    p.put(prefix + "max-offline-interval", maxOfflineInterval.toString());
    p.put(prefix + "max-warming-up-interval", maxWarmingUpInterval.toString());
    p.put(prefix + "heartbeat-interval", heartbeatInterval.toString());
    p.put(prefix + "long-reconcile-threshold", longReconcileThreshold.toString());
    p.put(prefix + "optimiser-interval", optimiserInterval.toString());
    p.put(prefix + "control-loop-interval", controlLoopInterval.toString());
    p.put(prefix + "db-connect-timeout", dbConnectTimeout.toString());
    putIfSet(
        p,
        prefix + "shard-split-request-timeout",
        shardSplitRequestTimeout == null ? null : shardSplitRequestTimeout.toString());
    p.put(prefix + "reconciler-concurrency", reconcilerConcurrency);
    p.put(prefix + "priority-reconciler-concurrency", priorityReconcilerConcurrency);
    p.put(prefix + "tenant-rate-limit", tenantRateLimit);
    putIfSet(p, prefix + "split-threshold", splitThreshold);
    p.put(prefix + "max-split-shards", maxSplitShards);
    putIfSet(p, prefix + "initial-split-threshold", initialSplitThreshold);
    p.put(prefix + "initial-split-shards", initialSplitShards);
    putIfSet(p, prefix + "max-secondary-lag-bytes", maxSecondaryLagBytes);
    putIfSet(p, prefix + "address-for-peers", addressForPeers);
    p.put(prefix + "start-as-candidate", startAsCandidate);
    p.put(prefix + "use-https-pageserver-api", useHttpsPageserverApi);
    putIfSet(p, prefix + "ssl-ca-file", sslCaFile == null ? null : sslCaFile.toString());
    putIfSet(p, prefix + "ssl-cert-file", sslCertFile == null ? null : sslCertFile.toString());
    putIfSet(p, prefix + "ssl-key-file", sslKeyFile == null ? null : sslKeyFile.toString());
    p.put(prefix + "kick-secondary-downloads", kickSecondaryDownloads);
    p.put(prefix + "enable-failpoints", enableFailpoints);
    return p;
  }

  /** The refusal behind a failed start, however deep Spring wrapped it. */
  private static StartRefused startRefused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StartRefused refused) {
        return refused;
      }
    }
    return null;
  }

  private void requirePositive(String flag, long value) {
    if (value <= 0) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '" + flag + "': must be positive, got " + value);
    }
  }

  /** Neon's shard counts are a byte: 0..255. */
  private void requireShardCount(String flag, int value) {
    if (value < 0 || value > 255) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '" + flag + "': expected 0..255, got " + value);
    }
  }

  private void requireNotNegative(String flag, Long value) {
    if (value != null && value < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '" + flag + "': must not be negative, got " + value);
    }
  }

  private static void putSecretIfSet(Map<Secret, String> p, Secret key, String value) {
    if (value != null && !value.isBlank()) {
      p.put(key, value);
    }
  }

  private static void putIfSet(Map<String, Object> p, String key, Object value) {
    if (value != null && !(value instanceof String s && s.isBlank())) {
      p.put(key, value);
    }
  }
}
