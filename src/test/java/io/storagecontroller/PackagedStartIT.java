package io.storagecontroller;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.workflows.startup.StartupReconcileWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started as {@code bin/storage_controller} starts it: from the Spring context
 * generated at build time, where every condition was settled with the embedded defaults. Runs after
 * {@code package} (failsafe), on both Temporal set-ups, since the in-process one is the only bean
 * decided at start-up rather than at build time.
 */
class PackagedStartIT {
  static final Path JAR = Path.of("target", "storage_controller.jar");
  static final Duration READY = Duration.ofSeconds(90);
  static final Pattern BOOT =
      Pattern.compile("starting start-up reconcile \\(boot ([0-9a-f-]+)\\)");

  @TempDir Path dir;

  @Test
  void startsFromTheGeneratedContextWithTheInProcessTemporalService() throws IOException {
    Path log = dir.resolve("controller.log");
    try (ControllerProcess controller =
        ControllerProcess.packaged(JAR, dir.resolve("data"), log).start()) {
      controller.awaitReady(READY);
      assertThat(Files.readString(log)).contains("Starting AOT-processed");
      assertThat(controller.api().get("/control/v1/node").body()).isEqualTo("[]");
    }
  }

  @Test
  void startsFromTheGeneratedContextWithATemporalTarget() throws Exception {
    int port = freePort();
    // A Temporal service on a real port, on the real clock (time skipping locked).
    TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(port, true);
    try {
      Path log = dir.resolve("controller.log");
      try (ControllerProcess controller =
          ControllerProcess.packaged(
                  JAR, dir.resolve("data"), log, "--temporal-target", "127.0.0.1:" + port)
              .start()) {
        controller.awaitReady(READY);
        String output = Files.readString(log);
        assertThat(output).contains("Starting AOT-processed");
        Matcher boot = BOOT.matcher(output);
        assertThat(boot.find()).as("the start-up workflow's boot id in %s", log).isTrue();

        // The start-up workflow ran on that service, not on one inside the controller.
        WorkflowServiceStubs stubs =
            WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
        try {
          WorkflowClient client =
              WorkflowClient.newInstance(
                  stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
          String workflowId = StartupReconcileWorkflow.workflowId(boot.group(1));
          // Ready is reported before the compute notifications, so the run may not be over yet.
          ControllerProcess.await(
              Duration.ofSeconds(30),
              () ->
                  client.fetchHistory(workflowId).getLastEvent().getEventType()
                      == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
              workflowId + " completed on the Temporal target");
        } finally {
          stubs.shutdownNow();
        }
      }
    } finally {
      temporal.close();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
