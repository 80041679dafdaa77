package io.storagecontroller.pageserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeAddress;
import io.storagecontroller.testing.ControllerTest;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A candidate's warm-up calls each node it read ahead once, read-only, and a node that does not
 * answer does not hold it up (the takeover waits for it).
 */
class PageserverWarmUpTest extends ControllerTest {
  @Autowired PageserverClients clients;

  @Test
  void oneUtilizationCallPerNodeAndASilentNodeDoesNotHoldItUp() throws Exception {
    List<Socket> attempts = new CopyOnWriteArrayList<>();
    try (PageserverFleet fleet = PageserverFleet.start(SimulatorOptions.defaults());
        // Accepts connections and never answers: a node cut off mid-call.
        ServerSocket silent = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    attempts.add(silent.accept());
                  }
                } catch (IOException closed) {
                  // The test is over.
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      SimulatedPageserver answering = fleet.pageservers().get(0);
      Node up = node(answering.nodeId(), answering.baseUrl().getPort());
      Node mute = node(new NodeId(answering.nodeId().value() + 1000), silent.getLocalPort());

      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> clients.warmUp(List.of(up, mute)));

      // The call to the silent node tries three times, a second each; the warm-up stopped waiting
      // before its last attempt began.
      assertThat(attempts).hasSizeBetween(1, 2);
      assertThat(answering.requests())
          .extracting(r -> r.method() + " " + r.uri())
          .containsExactly("GET /v1/utilization");
    } finally {
      for (Socket socket : attempts) {
        socket.close();
      }
    }
  }

  private static Node node(NodeId id, int port) {
    return Node.registered(
        id, new NodeAddress("127.0.0.1", port, null, "127.0.0.1", 1, null, null, "az-a"));
  }
}
