package io.storagecontroller.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyedLocksTest {
  private final KeyedLocks<String> locks = new KeyedLocks<>();

  @Test
  void aKeyIsForgottenOnceNobodyHoldsOrWaitsForIt() {
    locks.with("a", () -> locks.with("a", () -> null));
    locks.withAll(List.of("c", "b", "a"), () -> null);
    assertThat(locks.size()).isZero();
  }

  @Test
  void oneHolderPerKeyAtATime() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Object>> all =
          pool.invokeAll(
              java.util.Collections.nCopies(
                  64,
                  () ->
                      locks.with(
                          "k",
                          () -> {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            inside.decrementAndGet();
                            return null;
                          })));
      for (Future<Object> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(most.get()).isEqualTo(1);
    assertThat(locks.size()).isZero();
  }

  @Test
  void overlappingSetsTakenInKeyOrderNeverDeadlock() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Object> one =
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 500; i++) {
                  locks.withAll(List.of("x", "y"), () -> null);
                }
                return null;
              });
      Future<Object> two =
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 500; i++) {
                  locks.withAll(List.of("y", "x"), () -> null);
                }
                return null;
              });
      start.countDown();
      one.get(30, TimeUnit.SECONDS);
      two.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(locks.size()).isZero();
  }
}
