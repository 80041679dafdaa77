package io.storagecontroller.scheduler;

import io.storagecontroller.model.NodeId;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * What one placement decision must respect.
 *
 * @param exclude nodes that must not be chosen, typically those the shard already uses
 * @param preferredAz the shard's home AZ, or null when it has none
 * @param context the tenant's other locations, to spread its shards
 */
public record ScheduleRequest(Set<NodeId> exclude, String preferredAz, ScheduleContext context) {
  public ScheduleRequest {
    exclude = Set.copyOf(Objects.requireNonNull(exclude, "exclude"));
    Objects.requireNonNull(context, "context");
  }

  public static ScheduleRequest excluding(
      Collection<NodeId> exclude, String preferredAz, ScheduleContext context) {
    return new ScheduleRequest(Set.copyOf(exclude), preferredAz, context);
  }

  /** No exclusion, no AZ, no other locations: any node will do. */
  public static ScheduleRequest anywhere() {
    return new ScheduleRequest(Set.of(), null, new ScheduleContext());
  }
}
