package io.storagecontroller.tools.storcon;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.Storcon;
import org.junit.jupiter.api.Test;

/** The command line itself: usage errors, help, and a controller that is not there. */
class StorconUsageTest {
  final Storcon storcon = new Storcon("http://127.0.0.1:9");

  @Test
  void noSubcommandPrintsUsageAndExitsTwo() {
    Storcon.Run run = storcon.run();
    assertThat(run.status()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("node-drain", "tenant-shard-split", "operations", "--api");
  }

  @Test
  void aBadValueIsOneLineNamingItAndExitTwo() {
    Storcon.Run run = storcon.run("node-configure", "--node-id", "1", "--scheduling", "sometimes");
    assertThat(run.status()).as(run.toString()).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("sometimes", "pause-for-restart");
  }

  @Test
  void aMissingRequiredFlagExitsTwo() {
    Storcon.Run run = storcon.run("tenant-describe");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("--tenant-id");
  }

  @Test
  void anUnreachableControllerExitsOneSayingWhere() {
    Storcon.Run run = storcon.run("nodes");
    assertThat(run.status()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).contains("cannot reach the controller at http://127.0.0.1:9");
  }

  @Test
  void globalFlagsMayFollowTheSubcommand() {
    Storcon.Run run = new Storcon("http://127.0.0.1:1").run("nodes", "--api", "http://127.0.0.1:9");
    assertThat(run.err()).contains("http://127.0.0.1:9");
  }
}
