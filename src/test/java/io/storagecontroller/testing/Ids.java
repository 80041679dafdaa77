package io.storagecontroller.testing;

import java.util.concurrent.atomic.AtomicLong;

/** Fresh ids for tests that share one database. */
public final class Ids {
  private static final AtomicLong NEXT_NODE =
      new AtomicLong(1000 + (System.nanoTime() & 0xffff) * 1000);

  private Ids() {}

  public static long nodeId() {
    return NEXT_NODE.getAndIncrement();
  }
}
