package io.storagecontroller.tools.storcon;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code storcon tenant-shard-cancel-reconcile}: stop the reconcile under way for a shard. */
@Command(
    name = "tenant-shard-cancel-reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "Cancel any ongoing reconciliation for this shard (its tenant's, after the current step).",
      "The shard's intent is unchanged, so a later reconcile resumes it."
    })
final class TenantShardCancelReconcileCommand extends ApiCommand {
  @Option(
      names = "--tenant-shard-id",
      required = true,
      description = "The shard, e.g. 1f35...f6fc-0004, or a tenant id when unsharded.")
  String tenantShardId;

  @Override
  public Integer call() {
    return done(
        api().put("/control/v1/tenant/" + tenantShardId + "/cancel_reconcile", null),
        "reconcile of " + tenantShardId + " cancelled");
  }
}
