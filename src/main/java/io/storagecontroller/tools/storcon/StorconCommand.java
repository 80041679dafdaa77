package io.storagecontroller.tools.storcon;

import io.storagecontroller.tls.TlsMaterial;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code storcon}: the operator's command line for a running controller, after Neon's storcon_cli
 * (same command and flag names where Neon has them), plus following long operations with a progress
 * bar. Tables by default, {@code --json} for scripts.
 */
@Command(
    name = "storcon",
    mixinStandardHelpOptions = true,
    version = "storcon 0.1.0",
    sortOptions = false,
    subcommands = {
      NodesCommand.class,
      NodeRegisterCommand.class,
      NodeConfigureCommand.class,
      NodeDrainCommand.class,
      CancelDrainCommand.class,
      NodeFillCommand.class,
      CancelFillCommand.class,
      NodeStartDeleteCommand.class,
      NodeCancelDeleteCommand.class,
      NodeDeleteCommand.class,
      NodeDropCommand.class,
      NodeTombstonesCommand.class,
      NodeDeleteTombstoneCommand.class,
      BulkMigrateCommand.class,
      TenantsCommand.class,
      TenantDescribeCommand.class,
      TenantCreateCommand.class,
      TenantDeleteCommand.class,
      TenantDropCommand.class,
      TenantPolicyCommand.class,
      TenantSetPreferredAzCommand.class,
      SetTenantConfigCommand.class,
      PatchTenantConfigCommand.class,
      TenantSetTimeBasedEvictionCommand.class,
      TenantMigrateCommand.class,
      TenantShardMigrateSecondaryCommand.class,
      TenantShardWatchCommand.class,
      TenantShardCancelReconcileCommand.class,
      TenantShardSplitCommand.class,
      DownloadHeatmapLayersCommand.class,
      OperationsCommand.class,
      OptimiserCommand.class,
      ReconcileAllCommand.class,
      ConsistencyCheckCommand.class
    },
    description = {
      "Operates a storage controller over its HTTP API.",
      "The API URL comes from --api or STORCON_API (default http://127.0.0.1:1234), the token"
          + " from --jwt or STORCON_JWT.",
      "Exit status: 0 done, 1 refused by the controller (its message is printed), unreachable,"
          + " an operation that failed or was cancelled, or declined by the command (e.g. a drop"
          + " without --unclean); 2 a bad command line."
    },
    footer = {
      "",
      "Examples:",
      "  storcon nodes",
      "  storcon node-drain --node-id 2 --wait",
      "  storcon tenant-describe --tenant-id 1f359dd625e519a1a4e8d7509690f6fc",
      "  storcon operations watch 7"
    })
public final class StorconCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--api",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      defaultValue = "${env:STORCON_API:-http://127.0.0.1:1234}",
      description = "The controller's base URL; env STORCON_API (default: ${DEFAULT-VALUE}).")
  URI apiUrl;

  @Option(
      names = {"--jwt", "--token"},
      scope = ScopeType.INHERIT,
      paramLabel = "TOKEN",
      defaultValue = "${env:STORCON_JWT}",
      description =
          "Bearer token (scope admin, or infra/pageserverapi for their routes); env STORCON_JWT.")
  String jwt;

  @Option(
      names = "--ssl-ca-file",
      scope = ScopeType.INHERIT,
      paramLabel = "PEM",
      description =
          "Trusted root CA certificates (PEM) for an https:// API, beside the JDK's own roots.")
  Path sslCaFile;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print the controller's JSON instead of tables.")
  boolean json;

  private PrintWriter out;
  private PrintWriter err;
  private Terminal terminal;
  private ControllerApi api;

  /**
   * The configured command line: a bad command line is one line and status 2, a refusal by the
   * controller its message and status 1.
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, Terminal terminal) {
    StorconCommand command = new StorconCommand();
    command.out = out;
    command.err = err;
    command.terminal = terminal;
    CommandLine cli = new CommandLine(command);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          err.println("storcon: " + ex.getMessage() + " (see --help)");
          err.flush();
          return CommandLine.ExitCode.USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof ApiFailure failure) {
            err.println("storcon: " + failure.getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
          }
          throw ex;
        });
    return cli;
  }

  /** Without a subcommand: the usage, and the status of a bad command line (as clap does). */
  @Override
  public Integer call() {
    spec.commandLine().usage(err);
    return CommandLine.ExitCode.USAGE;
  }

  /** One client per run: commands that poll reuse its connections and its trust. */
  ControllerApi api() {
    if (api == null) {
      try {
        api = new ControllerApi(apiUrl, jwt, TlsMaterial.clientContext(sslCaFile));
      } catch (TlsMaterial.InvalidTlsFileException e) {
        throw new ParameterException(spec.commandLine(), "--ssl-ca-file " + e.getMessage());
      }
    }
    return api;
  }

  boolean json() {
    return json;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  Terminal terminal() {
    return terminal;
  }
}
