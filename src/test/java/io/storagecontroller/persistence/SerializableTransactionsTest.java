package io.storagecontroller.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ControllerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The transactions' isolation is set by their first statement (not by the session): every
 * transaction is SERIALIZABLE, a nested one joins its outer one, and the pooled connections are
 * handed back at the database's default for everyone else.
 */
class SerializableTransactionsTest extends ControllerTest {
  @Autowired SerializableTransactions transactions;
  @Autowired JdbcClient jdbc;

  @Test
  void everyTransactionIsSerializable() {
    for (int i = 0; i < 20; i++) {
      assertThat(transactions.execute("test_isolation", this::isolation)).isEqualTo("serializable");
    }
  }

  @Test
  void aNestedTransactionJoinsTheOuterOne() {
    String[] inner = new String[1];
    long outerPid =
        transactions.execute(
            "test_outer",
            () -> {
              inner[0] = transactions.execute("test_inner", () -> isolation() + "/" + backendPid());
              return backendPid();
            });
    assertThat(inner[0]).isEqualTo("serializable/" + outerPid);
  }

  @Test
  void connectionsOutsideTransactionsKeepTheDefault() {
    for (int i = 0; i < 20; i++) {
      transactions.execute("test_isolation", this::isolation);
      assertThat(isolation()).isEqualTo("read committed");
    }
  }

  private String isolation() {
    return jdbc.sql("SHOW transaction_isolation").query(String.class).single();
  }

  private long backendPid() {
    return jdbc.sql("SELECT pg_backend_pid()").query(Long.class).single();
  }
}
