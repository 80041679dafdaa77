package io.storagecontroller.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** Failed transactions are counted under Neon's error types. */
class DatabaseQueryErrorTypeTest {
  @Test
  void aPoolTimeoutAConnectionFailureAndAQueryAreToldApart() {
    assertThat(
            SerializableTransactions.errorType(
                new CannotGetJdbcConnectionException(
                    "pool", new SQLTransientConnectionException("timed out"))))
        .isEqualTo("connection_pool");
    assertThat(
            SerializableTransactions.errorType(
                new CannotGetJdbcConnectionException("refused", new SQLException("refused"))))
        .isEqualTo("connection");
    assertThat(SerializableTransactions.errorType(new DataAccessResourceFailureException("gone")))
        .isEqualTo("connection");
    assertThat(SerializableTransactions.errorType(new DataIntegrityViolationException("fk")))
        .isEqualTo("query");
  }
}
