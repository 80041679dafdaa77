package io.storagecontroller.shard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One reentrant lock per key, created on first use and forgotten when nobody holds or waits for it,
 * so the map holds only the keys in use right now (never one entry per tenant ever seen).
 */
final class KeyedLocks<K extends Comparable<K>> {
  private final Map<K, Entry> locks = new ConcurrentHashMap<>();

  private static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    int users;
  }

  /** Runs {@code work} holding the key's lock. */
  <T> T with(K key, Supplier<T> work) {
    Entry entry = acquire(key);
    try {
      return work.get();
    } finally {
      release(key, entry);
    }
  }

  /**
   * Runs {@code work} holding every key's lock, taken in key order so that two callers locking
   * overlapping sets never wait for each other in a circle.
   */
  <T> T withAll(Collection<K> keys, Supplier<T> work) {
    List<K> ordered = keys.stream().distinct().sorted().toList();
    List<Entry> held = new ArrayList<>(ordered.size());
    try {
      for (K key : ordered) {
        held.add(acquire(key));
      }
      return work.get();
    } finally {
      for (int i = held.size() - 1; i >= 0; i--) {
        release(ordered.get(i), held.get(i));
      }
    }
  }

  /** Whether the current thread holds the key's lock. */
  boolean heldByCurrentThread(K key) {
    Entry entry = locks.get(key);
    return entry != null && entry.lock.isHeldByCurrentThread();
  }

  /** Whether anyone holds or waits for the key's lock right now. */
  boolean inUse(K key) {
    return locks.containsKey(key);
  }

  /** Keys locked or waited for right now (for the memory test: it must fall back to zero). */
  int size() {
    return locks.size();
  }

  private Entry acquire(K key) {
    Entry entry =
        locks.compute(
            key,
            (k, e) -> {
              Entry in = e == null ? new Entry() : e;
              in.users++;
              return in;
            });
    entry.lock.lock();
    return entry;
  }

  private void release(K key, Entry entry) {
    entry.lock.unlock();
    locks.computeIfPresent(key, (k, e) -> --e.users == 0 ? null : e);
  }
}
