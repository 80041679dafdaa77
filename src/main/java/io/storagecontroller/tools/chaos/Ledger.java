package io.storagecontroller.tools.chaos;

import io.storagecontroller.model.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the controller acknowledged during the soak: tenants whose create or delete answered
 * success. A create or delete whose answer was lost (the controller died mid-call) is remembered,
 * and must have happened wholly or not at all; a lost split or migration leaves its tenant live,
 * where it is checked whole like any other; other lost answers are only counted.
 */
final class Ledger {
  private final Map<TenantId, Integer> live = new ConcurrentHashMap<>();
  private final Set<TenantId> deleted = ConcurrentHashMap.newKeySet();
  private final Set<TenantId> busy = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> acknowledged = new TreeMap<>();
  private final Map<String, Long> unanswered = new TreeMap<>();
  private final Map<TenantId, Integer> uncertainCreates = new ConcurrentHashMap<>();
  private final Set<TenantId> uncertainDeletes = ConcurrentHashMap.newKeySet();

  void created(TenantId tenant, int shards) {
    live.put(tenant, shards);
  }

  void deleted(TenantId tenant) {
    live.remove(tenant);
    deleted.add(tenant);
  }

  /**
   * A delete whose answer was lost: at the end the tenant must be gone, or still whole (a delete
   * cut short leaves it Detached, all its shards kept).
   */
  void uncertain(TenantId tenant) {
    live.remove(tenant);
    uncertainDeletes.add(tenant);
  }

  Set<TenantId> uncertainDeletes() {
    return Set.copyOf(uncertainDeletes);
  }

  /**
   * A create whose answer was lost: at the end the tenant must exist wholly (all its shards,
   * attached) or not at all.
   */
  void uncertainCreate(TenantId tenant, int shards) {
    uncertainCreates.put(tenant, shards);
  }

  Map<TenantId, Integer> uncertainCreates() {
    return Map.copyOf(uncertainCreates);
  }

  void shardsNow(TenantId tenant, int shards) {
    live.computeIfPresent(tenant, (t, old) -> shards);
  }

  synchronized void acknowledged(String kind) {
    acknowledged.merge(kind, 1L, Long::sum);
  }

  synchronized void unanswered(String kind) {
    unanswered.merge(kind, 1L, Long::sum);
  }

  /**
   * A live tenant no other client is changing, reserved until {@link #release}: a delete and a
   * split of one tenant at once would make the ledger's expectation ambiguous.
   */
  Optional<TenantId> reserve(Random random) {
    List<TenantId> candidates = new ArrayList<>(live.keySet());
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    TenantId tenant = candidates.get(random.nextInt(candidates.size()));
    return busy.add(tenant) ? Optional.of(tenant) : Optional.empty();
  }

  void release(TenantId tenant) {
    busy.remove(tenant);
  }

  Map<TenantId, Integer> live() {
    return Map.copyOf(live);
  }

  Set<TenantId> deleted() {
    return Set.copyOf(deleted);
  }

  synchronized Map<String, Long> acknowledgedByKind() {
    return new TreeMap<>(acknowledged);
  }

  synchronized Map<String, Long> unansweredByKind() {
    return new TreeMap<>(unanswered);
  }
}
