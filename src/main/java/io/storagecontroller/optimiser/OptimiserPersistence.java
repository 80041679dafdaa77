package io.storagecontroller.optimiser;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code optimiser} table: whether an operator paused the optimiser. */
@Repository
public class OptimiserPersistence {
  private final JdbcClient jdbc;

  public OptimiserPersistence(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public boolean paused() {
    return jdbc.sql("SELECT paused FROM optimiser").query(Boolean.class).single();
  }

  public void setPaused(boolean paused) {
    jdbc.sql("UPDATE optimiser SET paused = ?, changed_at = now()").param(paused).update();
  }
}
