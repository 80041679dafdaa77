package io.storagecontroller.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database's password: generated once, kept in a file only its owner can read, and
 * required of every connection (scram-sha-256) instead of trusting anyone on the machine.
 */
final class DatabasePassword {
  private static final Logger log = LoggerFactory.getLogger(DatabasePassword.class);

  private DatabasePassword() {}

  static String readOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      String password = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!password.isEmpty()) {
        return password;
      }
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    Path partial = file.resolveSibling(file.getFileName() + ".new");
    Files.deleteIfExists(partial);
    Files.createFile(
        partial,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(partial, password + "\n", StandardCharsets.UTF_8);
    Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return password;
  }

  /**
   * A data directory initialised before passwords (trust for every local connection): the password
   * is set and {@code pg_hba.conf} rewritten to require it, then the server reloads its config.
   */
  static void requireOnOlderDataDirectory(DataSource database, Path dataDir, String password)
      throws IOException {
    Path hba = dataDir.resolve("pg_hba.conf");
    boolean trusting =
        Files.readAllLines(hba).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .anyMatch(line -> line.endsWith("trust"));
    if (!trusting) {
      return;
    }
    Files.write(
        hba,
        List.of(
            "# storage_controller: every connection needs the password in postgres.password",
            "local all all scram-sha-256",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256"));
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      // The password is hex: nothing in it needs quoting.
      statement.execute("ALTER USER postgres PASSWORD '" + password + "'");
      statement.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException("could not set the embedded database's password", e);
    }
    log.info("embedded PostgreSQL in {} now requires its password", dataDir);
  }
}
