package io.temporal.internal.testservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded service answers through its channel, which spreads calls over its transports. */
class InProcessServiceTest {

  @Test
  void callsTakeEachChannelInTurn() {
    CountingChannel[] channels = {
      new CountingChannel(), new CountingChannel(), new CountingChannel()
    };
    InProcessService.SpreadChannel spread = new InProcessService.SpreadChannel(channels);

    for (int i = 0; i < 6; i++) {
      spread.newCall(WorkflowServiceGrpc.getGetSystemInfoMethod(), CallOptions.DEFAULT);
    }

    for (CountingChannel channel : channels) {
      assertThat(channel.calls).isEqualTo(2);
    }
  }

  /** A channel that only counts the calls made on it. */
  private static final class CountingChannel extends ManagedChannel {
    int calls;

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      calls++;
      return null;
    }

    @Override
    public String authority() {
      return "counting";
    }

    @Override
    public ManagedChannel shutdown() {
      return this;
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public ManagedChannel shutdownNow() {
      return this;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return false;
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
