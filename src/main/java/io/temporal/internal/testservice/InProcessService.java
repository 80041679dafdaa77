package io.temporal.internal.testservice;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * storage_controller: the SDK's in-process test service as TestServer.createServer builds it (the
 * same services, health checks and message size check, on the real clock), reached through
 * several in-process channels instead of one. An in-process gRPC transport opens and closes each
 * call's stream under one transport-wide lock; with every worker poll, completion and API call of
 * the controller on one channel, that lock was where its threads queued most (the benchmark's
 * profile: 740 s blocked in 68 s of load). Calls are spread round-robin over CHANNELS transports.
 */
public final class InProcessService implements AutoCloseable {
  static final int CHANNELS = 8;

  private final TestServicesStarter services;
  private final Server server;
  private final SpreadChannel channel;

  public InProcessService() {
    services = new TestServicesStarter(true, 0);
    String name = InProcessServerBuilder.generateName();
    try {
      InProcessServerBuilder builder = InProcessServerBuilder.forName(name);
      GRPCServerHelper.registerServicesAndHealthChecks(
          services.getServices(), builder, List.of(new InProcessGRPCServer.MessageSizeChecker()));
      server = builder.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ManagedChannel[] channels = new ManagedChannel[CHANNELS];
    for (int i = 0; i < CHANNELS; i++) {
      channels[i] = InProcessChannelBuilder.forName(name).directExecutor().build();
    }
    channel = new SpreadChannel(channels);
  }

  /** The channel every client of the service uses. */
  public ManagedChannel channel() {
    return channel;
  }

  /** The workflow service itself, for {@link ClosedExecutionRetention}. */
  public TestWorkflowService workflowService() {
    return services.getWorkflowService();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    services.close();
  }

  /** One channel made of several: each new call takes the next. */
  static final class SpreadChannel extends ManagedChannel {
    private final ManagedChannel[] channels;
    private final AtomicInteger next = new AtomicInteger();

    SpreadChannel(ManagedChannel[] channels) {
      this.channels = channels;
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
      return channels[Math.floorMod(next.getAndIncrement(), channels.length)].newCall(
          method, options);
    }

    @Override
    public String authority() {
      return channels[0].authority();
    }

    @Override
    public ManagedChannel shutdown() {
      for (ManagedChannel c : channels) {
        c.shutdown();
      }
      return this;
    }

    @Override
    public boolean isShutdown() {
      for (ManagedChannel c : channels) {
        if (!c.isShutdown()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean isTerminated() {
      for (ManagedChannel c : channels) {
        if (!c.isTerminated()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public ManagedChannel shutdownNow() {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
      return this;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      long deadline = System.nanoTime() + unit.toNanos(timeout);
      for (ManagedChannel c : channels) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !c.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          return false;
        }
      }
      return true;
    }
  }
}
