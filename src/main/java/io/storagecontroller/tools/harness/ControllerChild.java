package io.storagecontroller.tools.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import jdk.management.jfr.FlightRecorderMXBean;

/**
 * The controller under measurement, as its own process (so its memory is its own), started from the
 * same jar or class path as the benchmark.
 */
public final class ControllerChild implements AutoCloseable {
  /** The launcher's JVM options a child controller takes from the process that starts it. */
  private static final List<String> LAUNCHER_ARGS =
      List.of(
          "-XX:SharedArchiveFile=",
          "-Dspring.aot.",
          "-XX:G1PeriodicGCInterval=",
          "-XX:MinHeapFreeRatio=",
          "-XX:MaxHeapFreeRatio=");

  private final List<String> args;
  private final Path log;
  private final int port;
  private final int jmxPort;
  private final String heap;
  private boolean peerAddress;
  private boolean candidate;
  private boolean recording;
  private Process process;

  public ControllerChild(Path log, String heap, List<String> args) {
    this.log = log;
    this.heap = heap;
    this.args = args;
    this.port = freePort();
    this.jmxPort = freePort();
  }

  /** Starts it with {@code --address-for-peers} its own URL, as a rolling deploy needs. */
  public ControllerChild withPeerAddress() {
    peerAddress = true;
    return this;
  }

  /**
   * Another controller like this one (heap, flags, peer address) on a data directory of its own and
   * its own port: the next version in a rolling deploy.
   */
  public ControllerChild sibling(Path siblingLog, Path dataDir) {
    List<String> siblingArgs = new ArrayList<>(args);
    int at = siblingArgs.indexOf("--data-dir");
    if (at >= 0) {
      siblingArgs.set(at + 1, dataDir.toString());
    }
    ControllerChild sibling = new ControllerChild(siblingLog, heap, siblingArgs);
    sibling.peerAddress = peerAddress;
    return sibling;
  }

  /**
   * Starts it with a flight recording (JFR's {@code profile} settings, kept in memory and on disk
   * until {@link #dumpRecording}); the benchmark's profile reads it.
   */
  public ControllerChild withFlightRecording() {
    recording = true;
    return this;
  }

  /**
   * Writes what the flight recording holds so far to {@code file}, through the JMX port (the
   * process is on this machine, so it writes the file itself). Not {@code jcmd}: a child of a
   * background job inherits SIGQUIT ignored, and the attach mechanism needs it.
   */
  public void dumpRecording(Path file) {
    try (JMXConnector connector =
        JMXConnectorFactory.connect(
            new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"))) {
      FlightRecorderMXBean recorder =
          ManagementFactory.getPlatformMXBean(
              connector.getMBeanServerConnection(), FlightRecorderMXBean.class);
      long id =
          recorder.getRecordings().stream()
              .filter(r -> r.getName().equals("controller"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no flight recording; see " + log))
              .getId();
      recorder.copyTo(id, file.toAbsolutePath().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the next {@link #start} is with {@code --start-as-candidate} (a rolling deploy). */
  public ControllerChild asCandidate(boolean value) {
    candidate = value;
    return this;
  }

  public int jmxPort() {
    return jmxPort;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public ControllerChild start() {
    // The first run only: a restart measured with a recording (and without the archive) would not
    // be the restart an operator gets.
    boolean recorded = recording;
    recording = false;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    // JMX on loopback without auth: the benchmark forces a GC to read the heap's live set.
    command.add("-Dcom.sun.management.jmxremote.port=" + jmxPort);
    command.add("-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort);
    command.add("-Dcom.sun.management.jmxremote.host=127.0.0.1");
    command.add("-Djava.rmi.server.hostname=127.0.0.1");
    command.add("-Dcom.sun.management.jmxremote.authenticate=false");
    command.add("-Dcom.sun.management.jmxremote.ssl=false");
    // bin/storage_controller's class archive and ahead-of-time context shorten start-up, and its
    // heap settings give memory back; the child uses them too (same jar), so the restart and
    // memory figures are the ones an operator gets.
    // Not with a flight recording: JDK 17's JFR and a class archive crash the JVM together (JFR's
    // class file load hook on an archived class).
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            arg ->
                LAUNCHER_ARGS.stream().anyMatch(arg::startsWith)
                    && !(recorded && arg.startsWith("-XX:SharedArchiveFile=")))
        .forEach(command::add);
    if (recorded) {
      command.add("-XX:StartFlightRecording=name=controller,settings=profile");
    }
    String classPath = System.getProperty("java.class.path");
    if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
      command.add("-jar");
      command.add(classPath);
    } else {
      command.add("-cp");
      command.add(classPath);
      command.add("io.storagecontroller.Main");
    }
    command.add("--listen");
    command.add("127.0.0.1:" + port);
    if (peerAddress) {
      command.add("--address-for-peers");
      command.add(url());
    }
    command.addAll(args);
    if (candidate) {
      command.add("--start-as-candidate");
    }
    try {
      Files.createDirectories(log.getParent());
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Waits for {@code /ready}; returns how long it took from now. */
  public Duration awaitReady(Duration deadline) {
    ControllerHttp http = new ControllerHttp(url());
    long start = System.nanoTime();
    while (System.nanoTime() - start < deadline.toNanos()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("controller exited; see " + log);
      }
      try {
        if (http.get("/ready").status() == 200) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
      } catch (UncheckedIOException notListening) {
        // Not listening yet.
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException("controller not ready after " + deadline + "; see " + log);
  }

  public long pid() {
    return process.pid();
  }

  /** CPU time (user and system) the running process has used; 0 when the OS does not say. */
  public long cpuMillis() {
    return process.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
  }

  /** SIGTERM and wait. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the process to end on its own (a failpoint's exit); whether it did in time. */
  public boolean awaitExit(Duration deadline) {
    try {
      return process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL: no shutdown hooks, as in a crash. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      stop();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
