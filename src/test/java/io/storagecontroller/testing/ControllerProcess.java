package io.storagecontroller.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The controller as its own operating-system process, for tests that restart, terminate or kill it.
 * It runs the same main class as {@code bin/storage_controller}, on the test classpath or from the
 * packaged jar, in {@code --dev} mode (no public key: auth off).
 */
public final class ControllerProcess implements AutoCloseable {
  private final Path dataDir;
  private final Path log;
  private final int port;
  private final List<String> extraArgs;
  private final List<String> launch;
  private Process process;

  public ControllerProcess(Path dataDir, Path log, String... extraArgs) {
    this(
        List.of("-cp", System.getProperty("java.class.path"), "io.storagecontroller.Main"),
        dataDir,
        log,
        extraArgs);
  }

  private ControllerProcess(List<String> launch, Path dataDir, Path log, String... extraArgs) {
    this.launch = launch;
    this.dataDir = dataDir;
    this.log = log;
    this.port = freePort();
    this.extraArgs = new ArrayList<>(List.of(extraArgs));
  }

  /**
   * The packaged jar started as {@code bin/storage_controller} starts it: from the Spring context
   * the build generated ahead of time.
   */
  public static ControllerProcess packaged(Path jar, Path dataDir, Path log, String... extraArgs) {
    return new ControllerProcess(
        List.of("-Dspring.aot.enabled=true", "-jar", jar.toString()), dataDir, log, extraArgs);
  }

  /** More flags, for those that name this process's own URL ({@code --address-for-peers}). */
  public ControllerProcess withArgs(String... more) {
    extraArgs.addAll(List.of(more));
    return this;
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the process, as a long GC pause or a VM stall would. */
  public void signal(String name) {
    try {
      int status =
          // The shell's kill: no procps needed on the machine.
          new ProcessBuilder("sh", "-c", "kill -" + name + " " + process.pid())
              .inheritIO()
              .start()
              .waitFor();
      if (status != 0) {
        throw new AssertionError("kill -" + name + " failed with " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public ControllerProcess start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.addAll(launch);
    command.add("--listen");
    command.add("127.0.0.1:" + port);
    command.add("--data-dir");
    command.add(dataDir.toString());
    command.add("--dev");
    command.addAll(extraArgs);
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

  public ApiClient api() {
    return new ApiClient(url());
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Polls {@code /ready} until it answers 200; fails after the deadline. */
  public Duration awaitReady(Duration deadline) {
    Instant start = Instant.now();
    ApiClient api = api();
    await(
        deadline,
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(
                "controller exited with " + process.exitValue() + "; see " + log);
          }
          try {
            return api.get("/ready").status() == 200;
          } catch (UncheckedIOException notListeningYet) {
            return false;
          }
        },
        "controller /ready");
    return Duration.between(start, Instant.now());
  }

  /** SIGTERM, then wait for the process to exit; returns its exit status. */
  public int terminate(Duration deadline) {
    process.destroy();
    return waitFor(deadline);
  }

  /** SIGKILL: no shutdown hook runs, as in a crash. */
  public int kill(Duration deadline) {
    process.destroyForcibly();
    return waitFor(deadline);
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Waits for the process to exit on its own; returns its exit status. */
  public int awaitExit(Duration deadline) {
    return waitFor(deadline);
  }

  private int waitFor(Duration deadline) {
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("controller did not exit within " + deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return process.exitValue();
  }

  /** PostgreSQL processes whose command line names this controller's data directory. */
  public List<ProcessHandle> postgresProcesses() {
    String dir = dataDir.toString();
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains("postgres") && c.contains(dir))
                    .orElse(false))
        .toList();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
    postgresProcesses().forEach(ProcessHandle::destroyForcibly);
  }

  public static void await(Duration deadline, BooleanSupplier condition, String what) {
    Instant end = Instant.now().plus(deadline);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(end)) {
        throw new AssertionError(what + " not reached within " + deadline);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
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
