package io.storagecontroller.failpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.storagecontroller.model.Refusal;
import io.storagecontroller.testing.ControllerProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The action language of Neon's failpoints (the {@code fail} crate's) and what each does. */
class FailpointsTest {
  private final Failpoints failpoints = new Failpoints(true);

  private void set(String name, String actions) {
    failpoints.configure(List.of(new FailpointConfig(name, actions)));
  }

  @Test
  void anUnsetFailpointPasses() {
    failpoints.hit("never-set");
    assertThat(failpoints.hits("never-set")).isZero();
  }

  @Test
  void returnFailsTheStepUntilTurnedOff() {
    set("a", "return");
    assertThatThrownBy(() -> failpoints.hit("a"))
        .isInstanceOf(FailpointTriggered.class)
        .hasMessage("failpoint a");
    set("a", "return(boom)");
    assertThatThrownBy(() -> failpoints.hit("a")).hasMessage("failpoint a: boom");
    set("a", "off");
    failpoints.hit("a");
    assertThat(failpoints.hits("a")).isEqualTo(2);
  }

  @Test
  void countedTasksFireThatOftenThenTheChainMovesOn() {
    set("b", "2*return->off");
    assertThatThrownBy(() -> failpoints.hit("b")).isInstanceOf(FailpointTriggered.class);
    assertThatThrownBy(() -> failpoints.hit("b")).isInstanceOf(FailpointTriggered.class);
    failpoints.hit("b");
    failpoints.hit("b");
  }

  @Test
  void zeroPercentNeverFiresAndAHundredAlwaysDoes() {
    set("c", "0%return");
    for (int i = 0; i < 100; i++) {
      failpoints.hit("c");
    }
    set("c", "100%return");
    assertThatThrownBy(() -> failpoints.hit("c")).isInstanceOf(FailpointTriggered.class);
  }

  @Test
  void panicFailsTheStepToo() {
    set("d", "panic(oops)");
    assertThatThrownBy(() -> failpoints.hit("d")).hasMessage("failpoint d: panic: oops");
  }

  @Test
  void sleepWaitsItsMilliseconds() {
    set("e", "sleep(150)");
    long start = System.nanoTime();
    failpoints.hit("e");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ofMillis(150));
  }

  @Test
  void aSleepyFailpointReadsReturnAsADelay() {
    set("f", "return(150)");
    long start = System.nanoTime();
    failpoints.sleepy("f");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(ofMillis(150));
  }

  @Test
  void pauseBlocksUntilTheFailpointIsChanged() throws Exception {
    set("g", "pause");
    CompletableFuture<Void> step = CompletableFuture.runAsync(() -> failpoints.hit("g"));
    awaitHits("g", 1);
    assertThat(step).isNotDone();
    set("g", "off");
    step.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLongSleepEndsWhenTheFailpointIsChanged() throws Exception {
    set("h", "sleep(600000)");
    CompletableFuture<Void> step = CompletableFuture.runAsync(() -> failpoints.hit("h"));
    awaitHits("h", 1);
    set("h", "return");
    step.get(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "bogus",
        "return(",
        "sleep",
        "sleep(abc)",
        "sleep(-1)",
        "x%return",
        "-%return",
        "two*return",
        "return->bogus",
        "off->"
      })
  void unparsableActionsAre400AndChangeNothing(String actions) {
    set("kept", "return");
    assertThatThrownBy(
            () ->
                failpoints.configure(
                    List.of(new FailpointConfig("kept", "off"), new FailpointConfig("i", actions))))
        .isInstanceOfSatisfying(
            Refusal.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Refusal.Kind.BAD_REQUEST);
              assertThat(e.getMessage()).startsWith("Failed to configure failpoints: i: ");
            });
    // The valid entry before the bad one was not applied either.
    assertThatThrownBy(() -> failpoints.hit("kept")).isInstanceOf(FailpointTriggered.class);
  }

  @Test
  void missingFieldsAre400() {
    assertThatThrownBy(() -> failpoints.configure(List.of(new FailpointConfig(null, "off"))))
        .hasMessage("missing field `name`");
    assertThatThrownBy(() -> failpoints.configure(List.of(new FailpointConfig("j", null))))
        .hasMessage("missing field `actions`");
  }

  @Test
  void disabledFailpointsRefuseConfiguration() {
    Failpoints disabled = new Failpoints(false);
    assertThatThrownBy(() -> disabled.configure(List.of(new FailpointConfig("k", "return"))))
        .isInstanceOfSatisfying(
            Refusal.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Refusal.Kind.BAD_REQUEST);
              assertThat(e.getMessage()).contains("--enable-failpoints");
            });
    disabled.hit("k");
  }

  @Test
  void everyNameIsListedOnce() {
    assertThat(FailpointNames.ALL).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z-]+"));
  }

  private void awaitHits(String name, long n) {
    ControllerProcess.await(
        Duration.ofSeconds(10), () -> failpoints.hits(name) >= n, name + " reached");
  }

  private static Duration ofMillis(long millis) {
    return Duration.ofMillis(millis);
  }
}
