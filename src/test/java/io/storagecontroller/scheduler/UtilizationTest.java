package io.storagecontroller.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.storagecontroller.pageserver.PageserverUtilization;
import org.junit.jupiter.api.Test;

class UtilizationTest {
  @Test
  void scoreIsTheWorseOfDiskAndShardCount() {
    assertThat(Utilization.of(30, 100, 5, 10).score()).isEqualTo(500_000);
    assertThat(Utilization.of(80, 100, 5, 10).score()).isEqualTo(800_000);
  }

  @Test
  void overloadedAtTwiceFull() {
    assertThat(Utilization.of(0, 100, 20, 10).isOverloaded()).isTrue();
    assertThat(Utilization.of(0, 100, 19, 10).isOverloaded()).isFalse();
  }

  @Test
  void terabytesDoNotOverflow() {
    long tenTiB = 10L << 40;
    assertThat(Utilization.of(tenTiB, 2 * tenTiB, 0, 1).score()).isEqualTo(500_000);
  }

  @Test
  void heartbeatScoreIsTrustedUntilTheShardCountIsRaised() {
    PageserverUtilization reported =
        new PageserverUtilization(600, 400, 250, 50, 1, 10, 123L, "2024-01-01T00:00:00Z");
    Utilization utilization = reported.toUtilization();
    assertThat(utilization.score()).isEqualTo(123);

    // usable = (600 + 400) * 50% = 500; 250 / 500 = half full; 3 of 10 shards = 0.3
    assertThat(utilization.withShardCountAtLeast(3).score()).isEqualTo(500_000);
    assertThat(utilization.withShardCountAtLeast(1)).isSameAs(utilization);
  }

  @Test
  void heartbeatWithoutScoreIsComputed() {
    PageserverUtilization reported =
        new PageserverUtilization(100, 100, 20, 100, 4, 8, null, "2024-01-01T00:00:00Z");
    assertThat(reported.toUtilization().score()).isEqualTo(500_000);
  }

  @Test
  void placeholderForAFreshNodeIsFullAndOverloadsAtTheSecondShard() {
    assertThat(Utilization.full().score()).isEqualTo(Utilization.FULL);
    assertThat(Utilization.full().withShardCountAtLeast(2).isOverloaded()).isTrue();
  }

  @Test
  void noUsableDiskIsOverloadedOnlyIfDiskIsWanted() {
    assertThat(Utilization.of(1, 0, 0, 10).isOverloaded()).isTrue();
    assertThat(Utilization.of(0, 0, 0, 10).score()).isZero();
  }

  @Test
  void negativeFiguresAreRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> Utilization.of(-1, 0, 0, 0));
  }
}
