package io.storagecontroller.shard;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.scheduler.Scheduler;
import java.util.List;
import java.util.Optional;

/**
 * What an edit of one tenant works on: a draft of each of its shards, in shard order, and the
 * scheduler to place them with. An edit runs under the store's monitor, so it must not do I/O; it
 * may throw to refuse, and then nothing changes.
 */
public final class TenantEdit {
  private final TenantId tenant;
  private final List<ShardDraft> shards;
  private final Scheduler scheduler;

  TenantEdit(TenantId tenant, List<ShardDraft> shards, Scheduler scheduler) {
    this.tenant = tenant;
    this.shards = List.copyOf(shards);
    this.scheduler = scheduler;
  }

  public TenantId tenant() {
    return tenant;
  }

  /** The tenant's shards in shard order; empty when the tenant is unknown. */
  public List<ShardDraft> shards() {
    return shards;
  }

  public Optional<ShardDraft> shard(TenantShardId id) {
    return shards.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  List<ShardDraft> changed() {
    return shards.stream().filter(ShardDraft::changed).toList();
  }

  void revert() {
    shards.forEach(ShardDraft::revert);
  }
}
