package io.storagecontroller.activities.rebalance;

import io.storagecontroller.activities.migration.MigrationRequest;
import java.util.List;

/**
 * The live migrations to run for a window of planned moves, and how many moves needed none (the
 * shard had nothing attached to hand over; a reconcile attaches it at the destination).
 */
public record BegunMoves(List<MigrationRequest> migrations, int reconciled) {}
