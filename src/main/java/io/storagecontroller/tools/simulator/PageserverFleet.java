package io.storagecontroller.tools.simulator;

import io.storagecontroller.model.NodeId;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N simulated pageservers in this JVM (node ids {@code firstNodeId ..}), sharing one remote
 * storage, one safety record and one thread pool, plus the control API. Threads are daemons: a
 * fleet never keeps the JVM alive on its own.
 */
public final class PageserverFleet implements AutoCloseable {
  private final FleetResources resources;
  private final Map<NodeId, SimulatedPageserver> pageservers = new LinkedHashMap<>();
  private final ControlServer control;

  private PageserverFleet(FleetResources resources) {
    this.resources = resources;
    for (int i = 0; i < resources.options().pageservers(); i++) {
      NodeId id = NodeId.of(resources.options().firstNodeId() + i);
      pageservers.put(id, new SimulatedPageserver(id, resources));
    }
    this.control =
        new ControlServer(this, resources.options().controlListen(), resources.executor());
  }

  /** Starts the fleet: every pageserver listening (and re-attached, with a controller). */
  public static PageserverFleet start(SimulatorOptions options) {
    ExecutorService executor = Executors.newCachedThreadPool(daemons("simulator"));
    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(daemons("simulator-timer"));
    HttpClient http =
        HttpClient.newBuilder()
            .executor(executor)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    SafetyRecorder recorder = new SafetyRecorder();
    FleetResources resources =
        new FleetResources(
            options,
            new RemoteStorage(recorder),
            recorder,
            executor,
            timers,
            http,
            Clock.systemUTC());
    PageserverFleet fleet = null;
    try {
      fleet = new PageserverFleet(resources);
      fleet.startAll();
      return fleet;
    } catch (RuntimeException e) {
      if (fleet != null) {
        fleet.close();
      } else {
        executor.shutdownNow();
        timers.shutdownNow();
      }
      throw e;
    }
  }

  public static PageserverFleet start(int pageservers) {
    return start(SimulatorOptions.defaults().withPageservers(pageservers));
  }

  private void startAll() {
    // In parallel: each start may wait for the controller's re-attach answer.
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (SimulatedPageserver pageserver : pageservers.values()) {
      starts.add(CompletableFuture.runAsync(pageserver::start, resources.executor()));
    }
    try {
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  public List<SimulatedPageserver> pageservers() {
    return List.copyOf(pageservers.values());
  }

  public SimulatedPageserver pageserver(NodeId id) {
    SimulatedPageserver pageserver = pageservers.get(id);
    if (pageserver == null) {
      throw new IllegalArgumentException("no pageserver with node id " + id + " in this fleet");
    }
    return pageserver;
  }

  public SimulatedPageserver pageserver(long id) {
    return pageserver(NodeId.of(id));
  }

  public RemoteStorage remoteStorage() {
    return resources.remote();
  }

  public SafetyRecorder safety() {
    return resources.recorder();
  }

  /** The control API's base URL ({@code /simulator/v1/...} under it). */
  public URI controlUrl() {
    return control.url();
  }

  public SimulatorOptions options() {
    return resources.options();
  }

  @Override
  public void close() {
    pageservers.values().forEach(SimulatedPageserver::close);
    control.close();
    resources.timers().shutdownNow();
    resources.executor().shutdownNow();
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
