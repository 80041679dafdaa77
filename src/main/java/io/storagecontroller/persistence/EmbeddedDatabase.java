package io.storagecontroller.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL 17 the controller runs on its embedded defaults: a real server from a Maven jar,
 * its data kept under the data directory so tenants survive a restart, listening on loopback only.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final Duration STALE_POSTMASTER_GRACE = Duration.ofSeconds(30);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /** Starts (initialising on first use) the database kept in {@code dataDir}. */
  public static EmbeddedDatabase start(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      stopStalePostmaster(dataDir);
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "200")
              .setPGStartupWait(Duration.ofSeconds(60))
              // The shutdown hook is ours (Spring closes this bean), so the postmaster stops in
              // order.
              .setRegisterShutdownHook(false)
              .start();
      log.info(
          "embedded PostgreSQL started on 127.0.0.1:{} with data in {}", pg.getPort(), dataDir);
      return new EmbeddedDatabase(pg, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  public String username() {
    return "postgres";
  }

  @Override
  public void close() throws IOException {
    postgres.close();
    log.info("embedded PostgreSQL in {} stopped", dataDir);
  }

  /**
   * A controller killed with SIGKILL leaves its postmaster running on the data directory, and a
   * second postmaster cannot start there. Stop the orphan (it has no clients left) before starting.
   */
  private static void stopStalePostmaster(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> orphan =
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    if (orphan.isEmpty()) {
      return;
    }
    log.warn("stopping orphaned PostgreSQL postmaster pid={} left on {}", pid, dataDir);
    ProcessHandle handle = orphan.get();
    handle.destroy();
    try {
      handle
          .onExit()
          .get(STALE_POSTMASTER_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      log.warn("postmaster pid={} did not stop in {}; killing it", pid, STALE_POSTMASTER_GRACE);
      handle.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping postmaster " + pid, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("could not stop postmaster " + pid, e);
    }
  }
}
