package io.storagecontroller.failpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.http.ApiError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FailpointsTest {
  static Failpoints failpoints(boolean dev) {
    return new Failpoints(dev);
  }

  @Test
  void returnFailsTheStepUntilTurnedOff() {
    Failpoints failpoints = failpoints(true);
    failpoints.hit("shard-split-post-remote");
    failpoints.configure("shard-split-post-remote", "return");
    assertThatThrownBy(() -> failpoints.hit("shard-split-post-remote"))
        .isInstanceOf(FailpointTriggered.class)
        .hasMessageContaining("shard-split-post-remote");
    failpoints.hit("another-point");
    failpoints.configure("shard-split-post-remote", "off");
    failpoints.hit("shard-split-post-remote");
  }

  @Test
  void pauseHoldsTheStepUntilReleased() throws Exception {
    Failpoints failpoints = failpoints(true);
    failpoints.configure("shard-split-pre-complete", "pause");
    CompletableFuture<Void> step =
        CompletableFuture.runAsync(() -> failpoints.hit("shard-split-pre-complete"));
    assertThat(step).isNotDone();
    failpoints.configure("shard-split-pre-complete", "off");
    step.get(10, TimeUnit.SECONDS);
  }

  @Test
  void onlyDevModeAndKnownActions() {
    assertThatThrownBy(() -> failpoints(false).configure("x", "return"))
        .isInstanceOf(ApiError.class)
        .hasMessageContaining("--dev");
    assertThatThrownBy(() -> failpoints(true).configure("x", "panic"))
        .isInstanceOf(ApiError.class)
        .hasMessageContaining("unsupported");
    failpoints(true).configure("x", "return(1)");
  }
}
