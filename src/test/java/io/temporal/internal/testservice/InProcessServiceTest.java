package io.temporal.internal.testservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.junit.jupiter.api.Test;

/** The embedded service answers through its channel, which spreads calls over its transports. */
class InProcessServiceTest {

  @Test
  void callsTakeEachChannelInTurn() {
    ManagedChannel[] channels = {
      mock(ManagedChannel.class), mock(ManagedChannel.class), mock(ManagedChannel.class)
    };
    InProcessService.SpreadChannel spread = new InProcessService.SpreadChannel(channels);

    for (int i = 0; i < 6; i++) {
      spread.newCall(WorkflowServiceGrpc.getGetSystemInfoMethod(), CallOptions.DEFAULT);
    }

    for (ManagedChannel channel : channels) {
      verify(channel, times(2)).newCall(any(), any());
    }
  }

  @Test
  void theServiceAnswersThroughEveryChannelAndShutsDown() {
    InProcessService service = new InProcessService();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setChannel(service.channel()).build());
    for (int i = 0; i < 2 * InProcessService.CHANNELS; i++) {
      assertThat(
              stubs
                  .blockingStub()
                  .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
                  .hasCapabilities())
          .isTrue();
    }
    stubs.shutdownNow();
    service.close();
    assertThat(service.channel().isTerminated()).isTrue();
  }
}
