package io.storagecontroller.operation;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code operations} table: one row per long operation (evacuation, drain, split, ...), the
 * source of truth for what is running, since the in-process Temporal service cannot list workflows.
 */
@Repository
public class OperationPersistence {
  private final JdbcClient jdbc;

  public OperationPersistence(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records a started operation; returns its id. */
  public long start(String kind, String target, String workflowId, long total) {
    return jdbc.sql(
            "INSERT INTO operations (kind, target, workflow_id, state, progress_total)"
                + " VALUES (?, ?, ?, 'running', ?) RETURNING id")
        .params(kind, target, workflowId, total)
        .query(Long.class)
        .single();
  }

  /** Adds to the operation's progress (batches finish in any order). */
  public void advance(long id, long done) {
    jdbc.sql("UPDATE operations SET progress_done = progress_done + ? WHERE id = ?")
        .params(done, id)
        .update();
  }

  public void finish(long id, String state, String error) {
    jdbc.sql("UPDATE operations SET state = ?, error = ?, finished_at = NOW() WHERE id = ?")
        .params(state, error, id)
        .update();
  }
}
