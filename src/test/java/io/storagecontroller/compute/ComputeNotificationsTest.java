package io.storagecontroller.compute;

import static io.storagecontroller.compute.HookFixture.N1;
import static io.storagecontroller.compute.HookFixture.N2;
import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pending flag: set when a notification fails, cleared when one is delivered. */
class ComputeNotificationsTest {
  private final HookFixture fixture = new HookFixture();
  private final HookReceiver receiver = HookReceiver.start();
  private final ComputeNotifications notifications =
      new ComputeNotifications(
          fixture.hook(
              HookFixture.fast(receiver.controlPlaneUrl(), null),
              ComputeHookMetrics.unregistered()));

  @AfterEach
  void close() {
    notifications.destroy();
    receiver.close();
  }

  @Test
  void aFailedNotificationIsLeftPendingAndADeliveredOneClearsIt() {
    TenantId tenant = fixture.tenant(2, 2048, "az-a", N1, N2);
    TenantId other = fixture.tenant(1, 2048, "az-a", N1);
    receiver.alwaysRespond(404);

    assertThat(notifications.notifyOrMarkPending(tenant)).isFalse();

    assertThat(notifications.isPending(tenant)).isTrue();
    assertThat(notifications.isPending(other)).isFalse();
    assertThat(notifications.pending()).containsExactly(tenant);

    receiver.alwaysRespond(200);
    assertThat(notifications.notifyOrMarkPending(tenant)).isTrue();

    assertThat(notifications.isPending(tenant)).isFalse();
    assertThat(notifications.pending()).isEmpty();
  }

  @Test
  void aRetryableFailureIsLeftPendingToo() {
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);
    receiver.alwaysRespond(503);

    assertThat(notifications.notifyOrMarkPending(tenant)).isFalse();
    assertThat(notifications.isPending(tenant)).isTrue();
  }

  @Test
  void aPendingTenantWithNothingToSayIsCleared() {
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);
    receiver.alwaysRespond(503);
    notifications.notifyOrMarkPending(tenant);

    fixture.attachAll(tenant, null);
    assertThat(notifications.notifyOrMarkPending(tenant)).isTrue();

    assertThat(notifications.isPending(tenant)).isFalse();
  }

  @Test
  void theSweepSendsPendingNotificationsOfTenantsThatNeedNoReconcile() throws Exception {
    TenantId clean = fixture.tenant(1, 2048, "az-a", N1);
    TenantId reconciling = fixture.tenant(1, 2048, "az-a", N2);
    receiver.alwaysRespond(503);
    notifications.notifyOrMarkPending(clean);
    notifications.notifyOrMarkPending(reconciling);
    int failedCalls = receiver.received().size();
    receiver.alwaysRespond(200);

    assertThat(notifications.sendPending(Set.of(reconciling))).isEqualTo(1);
    assertThat(notifications.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(receiver.received()).hasSize(failedCalls + 1);
    assertThat(notifications.pending()).containsExactly(reconciling);
  }

  @Test
  void startUpBatchesAreSentAndCounted() {
    List<TenantId> tenants =
        List.of(
            fixture.tenant(1, 2048, "az-a", N1),
            fixture.tenant(4, 2048, "az-a", N1, N2),
            fixture.tenant(0, 2048, "az-a", N2));

    assertThat(notifications.notifyBatch(tenants, false, Duration.ofSeconds(5))).isEqualTo(3);

    assertThat(receiver.received()).hasSize(3);
    assertThat(notifications.pending()).isEmpty();
  }

  @Test
  void aBatchThatOutlivesItsWaitGoesOnInTheBackground() throws Exception {
    receiver.delay(300);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);

    assertThat(notifications.notifyBatch(List.of(tenant), false, Duration.ofMillis(50))).isZero();
    assertThat(notifications.awaitIdle(Duration.ofSeconds(5))).isTrue();

    assertThat(receiver.received()).hasSize(1);
    assertThat(notifications.hook().lastDelivered(tenant)).isPresent();
  }

  @Test
  void devModeNeverLeavesAnythingPending() {
    ComputeNotifications dev =
        new ComputeNotifications(
            fixture.hook(HookFixture.fast(null, null), ComputeHookMetrics.unregistered()));
    try {
      TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);
      dev.markPending(tenant);

      assertThat(dev.notifyOrMarkPending(tenant)).isTrue();

      assertThat(dev.isPending(tenant)).isFalse();
      assertThat(dev.hook().lastDelivered(tenant)).isPresent();
    } finally {
      dev.destroy();
    }
  }
}
