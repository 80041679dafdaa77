package io.storagecontroller.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TenantChangeWaitsTest {
  private static final Duration NEVER = Duration.ofHours(1);

  private final TenantId tenant = TenantId.generate();

  @Test
  void aChangeOfTheTenantWakesItsWaiterWithoutARecheck() throws Exception {
    TenantChangeWaits waits = new TenantChangeWaits(NEVER);
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch looked = new CountDownLatch(1);
    CompletableFuture<Boolean> waited = waitUntilDone(waits, done, looked);
    assertThat(looked.await(10, TimeUnit.SECONDS)).isTrue();
    done.set(true);
    waits.changed(tenant);

    assertThat(waited.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(waits.tenantsWaitedOn()).isZero();
  }

  @Test
  void anotherTenantsChangeDoesNotWakeIt() {
    TenantChangeWaits waits = new TenantChangeWaits(NEVER);
    AtomicInteger looks = new AtomicInteger();
    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(
            () ->
                await(
                    waits,
                    tenant,
                    Duration.ofMillis(300),
                    () -> {
                      looks.incrementAndGet();
                      return false;
                    }));
    TenantId other = TenantId.generate();
    for (int i = 0; i < 100; i++) {
      waits.changed(other);
    }

    assertThat(waited.join()).isFalse();
    // Once at the start and once more at the deadline; none for the other tenant's changes.
    assertThat(looks).hasValue(2);
    assertThat(waits.tenantsWaitedOn()).isZero();
  }

  @Test
  void aConditionOnSomethingNoShardPublishesIsLookedAtAgainAfterTheRecheck() {
    TenantChangeWaits waits = new TenantChangeWaits(Duration.ofMillis(20));
    AtomicInteger looks = new AtomicInteger();

    assertThat(await(waits, tenant, Duration.ofSeconds(30), () -> looks.incrementAndGet() >= 3))
        .isTrue();
    assertThat(looks).hasValue(3);
  }

  @Test
  void waitersOfOneTenantAreEachWokenAndForgottenOnceAllLeave() throws Exception {
    TenantChangeWaits waits = new TenantChangeWaits(NEVER);
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch looked = new CountDownLatch(3);
    CompletableFuture<?>[] waited = new CompletableFuture<?>[3];
    for (int i = 0; i < waited.length; i++) {
      waited[i] = waitUntilDone(waits, done, looked);
    }
    assertThat(looked.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(waits.tenantsWaitedOn()).isEqualTo(1);
    done.set(true);
    waits.changed(tenant);

    CompletableFuture.allOf(waited).get(10, TimeUnit.SECONDS);
    assertThat(waits.tenantsWaitedOn()).isZero();
  }

  /** A waiter on the tenant until {@code done}, counting down {@code looked} at each look. */
  private CompletableFuture<Boolean> waitUntilDone(
      TenantChangeWaits waits, AtomicBoolean done, CountDownLatch looked) {
    return CompletableFuture.supplyAsync(
        () ->
            await(
                waits,
                tenant,
                NEVER,
                () -> {
                  looked.countDown();
                  return done.get();
                }));
  }

  private static boolean await(
      TenantChangeWaits waits,
      TenantId tenant,
      Duration timeout,
      java.util.function.BooleanSupplier condition) {
    try {
      return waits.await(tenant, timeout, condition);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
