package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Comparator;
import java.util.Objects;

/**
 * One shard of one tenant. A legacy unsharded shard (count literal 0) is written as the bare tenant
 * id, so it is interchangeable with a {@link TenantId}; every other shard is written
 * "&lt;tenant&gt;-NNCC".
 *
 * <p>Like Neon, this does not check that the number is below the count: ids are compared and stored
 * exactly as the pageservers send them.
 */
public record TenantShardId(TenantId tenantId, ShardNumber shardNumber, ShardCount shardCount)
    implements Comparable<TenantShardId> {
  // All shards of a tenant sort together, between (t, 0, 0) and (t, 255, 255).
  private static final Comparator<TenantShardId> ORDER =
      Comparator.comparing(TenantShardId::tenantId)
          .thenComparing(TenantShardId::shardNumber)
          .thenComparing(TenantShardId::shardCount);

  public TenantShardId {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(shardNumber, "shardNumber");
    Objects.requireNonNull(shardCount, "shardCount");
  }

  public TenantShardId(TenantId tenantId, ShardIndex index) {
    this(tenantId, index.number(), index.count());
  }

  public static TenantShardId unsharded(TenantId tenantId) {
    return new TenantShardId(tenantId, ShardNumber.ZERO, ShardCount.UNSHARDED);
  }

  /**
   * Parses either form. As in Neon only the length is checked, so the 33rd character of the long
   * form may be anything, not just '-'.
   */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TenantShardId parse(String text) {
    if (text == null || (text.length() != 32 && text.length() != 37)) {
      throw new IllegalArgumentException(
          "invalid tenant shard id '"
              + text
              + "': expected 32 hex characters, optionally followed by '-NNCC'");
    }
    try {
      if (text.length() == 32) {
        return unsharded(TenantId.parse(text));
      }
      return new TenantShardId(
          TenantId.parse(text.substring(0, 32)), ShardIndex.parse(text.substring(33)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid tenant shard id '" + text + "': " + e.getMessage(), e);
    }
  }

  /** For Spring's String-to-object conversion of path variables. */
  public static TenantShardId valueOf(String text) {
    return parse(text);
  }

  public ShardIndex shardIndex() {
    return new ShardIndex(shardNumber, shardCount);
  }

  public boolean isShardZero() {
    return shardNumber.value() == 0;
  }

  /** The legacy pre-sharding form, not merely a tenant with one shard. */
  public boolean isUnsharded() {
    return isShardZero() && shardCount.isUnsharded();
  }

  @JsonValue
  @Override
  public String toString() {
    return shardCount.isUnsharded() ? tenantId.toString() : tenantId + "-" + shardIndex();
  }

  @Override
  public int compareTo(TenantShardId other) {
    return ORDER.compare(this, other);
  }
}
