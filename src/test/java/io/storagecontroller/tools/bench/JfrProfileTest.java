package io.storagecontroller.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's profile reads a real flight recording of busy work, within a phase's window. */
class JfrProfileTest {

  @Test
  void aBusyPhaseShowsItsSamplesAllocationAndThreads(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("busy.jfr");
    Instant from;
    Instant to;
    try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
      recording.start();
      from = Instant.now();
      busy(Duration.ofMillis(1500));
      to = Instant.now();
      recording.stop();
      recording.dump(file);
    }

    JfrProfile profile = JfrProfile.read(file, "busy", from, to);

    assertThat(profile.figures().get("allocation_mib_per_s")).isPositive();
    String md = profile.markdown();
    // The window's whole seconds: at least the 1.5 s of work, more when a collection pauses it.
    assertThat(md).startsWith("## busy (" + Duration.between(from, to).toSeconds() + " s)");
    assertThat(Duration.between(from, to).toSeconds()).isPositive();
    assertThat(md).contains("CPU samples by thread", "`main`", "Allocated (by class)");
    assertThat(md).contains("JfrProfileTest.busy");
    // Nothing after the window counts.
    JfrProfile after = JfrProfile.read(file, "later", to.plusSeconds(60), to.plusSeconds(61));
    assertThat(after.figures().get("allocation_mib_per_s")).isZero();
    assertThat(after.markdown()).doesNotContain("JfrProfileTest.busy");
  }

  /** Allocates and computes in the test's own frame, so it is the frame nearest the top. */
  private static long busy(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    long sum = 0;
    List<String> kept = new ArrayList<>();
    while (System.nanoTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        sum += Integer.toString(i).hashCode();
      }
      kept.add(Long.toString(sum));
      if (kept.size() > 1000) {
        kept.clear();
      }
    }
    return sum;
  }
}
