package io.storagecontroller.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void libpqUrlBecomesJdbcWithCredentialsApart() {
    DatabaseUrl url =
        DatabaseUrl.parse("postgresql://storcon:s%40cret@db.local:5433/storage?sslmode=require");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.local:5433/storage?sslmode=require");
    assertThat(url.username()).isEqualTo("storcon");
    assertThat(url.password()).isEqualTo("s@cret");
    assertThat(url.toString()).doesNotContain("s@cret");
  }

  @Test
  void jdbcUrlIsTakenAsIs() {
    DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://h/db?user=a");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?user=a");
  }

  @Test
  void noDatabaseMeansPostgres() {
    assertThat(DatabaseUrl.parse("postgres://h").jdbcUrl())
        .isEqualTo("jdbc:postgresql://h/postgres");
  }

  @Test
  void rejectsOtherSchemes() {
    assertThatIllegalArgumentException().isThrownBy(() -> DatabaseUrl.parse("mysql://h/db"));
    assertThatIllegalArgumentException().isThrownBy(() -> DatabaseUrl.parse(""));
    assertThatIllegalArgumentException().isThrownBy(() -> DatabaseUrl.parse("postgresql://"));
  }
}
