package io.storagecontroller.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A namespace where the attributes cannot be registered is said so, not fatal. */
class WorkflowSearchAttributesTest {

  @Test
  void aServiceThatCannotRegisterThemLeavesThemUnregistered() {
    // A service that is not there: every call fails as a refused registration would.
    ManagedChannel nowhere = InProcessChannelBuilder.forName("no-temporal-here").build();
    try {
      WorkflowServiceStubs service = mock(WorkflowServiceStubs.class);
      when(service.getRawChannel()).thenReturn(nowhere);
      WorkflowClient client = mock(WorkflowClient.class);
      when(client.getWorkflowServiceStubs()).thenReturn(service);
      when(client.getOptions())
          .thenReturn(WorkflowClientOptions.newBuilder().setNamespace("managed").build());

      assertThat(new WorkflowSearchAttributes(client, Duration.ofMillis(300)).registered())
          .isFalse();
    } finally {
      nowhere.shutdownNow();
    }
  }
}
