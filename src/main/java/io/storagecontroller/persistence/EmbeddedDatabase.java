package io.storagecontroller.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL 17 the controller runs on its embedded defaults: a real server from a Maven jar,
 * its data kept under the data directory so tenants survive a restart, listening on loopback only,
 * and every connection authenticated with a password generated on first use and kept beside the
 * data ({@code postgres.password}, readable by its owner only): another local user cannot connect
 * and rewrite generations.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
  private static final Duration STALE_POSTMASTER_GRACE = Duration.ofSeconds(30);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private final FileChannel directoryLock;
  private final String password;

  private EmbeddedDatabase(
      EmbeddedPostgres postgres, Path dataDir, FileChannel directoryLock, String password) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.directoryLock = directoryLock;
    this.password = password;
  }

  /**
   * Starts (initialising on first use) the database kept in {@code dataDir}; refuses with {@link
   * DataDirectoryInUse} when a running controller uses it.
   */
  public static EmbeddedDatabase start(Path dataDir) {
    return start(dataDir, 0);
  }

  /**
   * As {@link #start(Path)}, on {@code port} (0: any free one). A fixed port lets a test stop the
   * database and start it again where its clients expect it.
   */
  public static EmbeddedDatabase start(Path dataDir, int port) {
    FileChannel lock = null;
    try {
      Files.createDirectories(dataDir);
      lock = lockDirectory(dataDir);
      stopStalePostmaster(dataDir);
      Path passwordFile = dataDir.resolveSibling(dataDir.getFileName() + ".password");
      String password = DatabasePassword.readOrCreate(passwordFile);
      boolean fresh = !Files.exists(dataDir.resolve("PG_VERSION"));
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("max_connections", "200")
              .setConnectConfig("password", password)
              .setPGStartupWait(Duration.ofSeconds(60))
              // The shutdown hook is ours (Spring closes this bean), so the postmaster stops in
              // order.
              .setRegisterShutdownHook(false);
      if (port != 0) {
        builder.setPort(port);
      }
      if (fresh) {
        // initdb's options after its "-A trust" (these are passed to it as --name=value).
        builder.setLocaleConfig("auth", "scram-sha-256");
        builder.setLocaleConfig("pwfile", passwordFile.toString());
      }
      EmbeddedPostgres pg = builder.start();
      if (!fresh) {
        DatabasePassword.requireOnOlderDataDirectory(pg.getPostgresDatabase(), dataDir, password);
      }
      log.info(
          "embedded PostgreSQL started on 127.0.0.1:{} with data in {}", pg.getPort(), dataDir);
      return new EmbeddedDatabase(pg, dataDir, lock, password);
    } catch (IOException e) {
      closeQuietly(lock);
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
    } catch (RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
  }

  /**
   * Locks {@code postgres.lock} beside the data directory for this process's life (the operating
   * system drops the lock when the process ends, even on SIGKILL). Without it a second controller
   * on the same directory would take the first one's running postmaster for an orphan and stop it.
   */
  private static FileChannel lockDirectory(Path dataDir) throws IOException {
    Path lockFile = dataDir.resolveSibling(dataDir.getFileName() + ".lock");
    FileChannel channel =
        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      if (channel.tryLock() != null) {
        return channel;
      }
    } catch (OverlappingFileLockException sameProcess) {
      // Another database of this process holds it (a test starting a second context on it).
    }
    channel.close();
    throw new DataDirectoryInUse(dataDir.getParent() != null ? dataDir.getParent() : dataDir);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing the channel was only to release the lock, which the process's end does too.
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  public String username() {
    return "postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  public String password() {
    return password;
  }

  /** The {@code --database-url} of this database, credentials included. */
  public String databaseUrl() {
    return "postgresql://postgres:" + password + "@127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  @Override
  public void close() throws IOException {
    try {
      postgres.close();
      log.info("embedded PostgreSQL in {} stopped", dataDir);
    } finally {
      directoryLock.close();
    }
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
