package io.storagecontroller.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database trusts nobody: every connection needs the password kept beside it. */
class EmbeddedDatabaseTest {
  @TempDir Path dir;

  @Test
  void aConnectionWithoutThePasswordIsRefused() throws Exception {
    Path data = dir.resolve("postgres");
    try (EmbeddedDatabase database = EmbeddedDatabase.start(data)) {
      assertRequiresPassword(database);
      Path file = dir.resolve("postgres.password");
      assertThat(Files.readString(file).strip()).isEqualTo(database.password());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    // The same password after a restart.
    String before = Files.readString(dir.resolve("postgres.password")).strip();
    try (EmbeddedDatabase again = EmbeddedDatabase.start(data)) {
      assertThat(again.password()).isEqualTo(before);
      assertRequiresPassword(again);
    }
  }

  @Test
  void aDataDirectoryThatTrustedEveryoneIsMadeToRequireThePassword() throws Exception {
    Path data = dir.resolve("postgres");
    EmbeddedDatabase.start(data).close();
    // As an earlier version left it: trust for every local connection, no password file.
    Files.write(
        data.resolve("pg_hba.conf"),
        List.of("local all all trust", "host all all 127.0.0.1/32 trust"));
    Files.delete(dir.resolve("postgres.password"));

    try (EmbeddedDatabase database = EmbeddedDatabase.start(data)) {
      assertRequiresPassword(database);
    }
  }

  private static void assertRequiresPassword(EmbeddedDatabase database) throws SQLException {
    assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), "postgres", ""))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), "postgres", "wrong"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
    try (Connection ok =
        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password())) {
      assertThat(ok.isValid(5)).isTrue();
    }
  }
}
