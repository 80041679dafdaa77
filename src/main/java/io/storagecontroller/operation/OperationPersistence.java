package io.storagecontroller.operation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
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
    return start(kind, target, workflowId, total, null);
  }

  /** As {@link #start(String, String, String, long)} with what a retry needs to run it again. */
  public long start(String kind, String target, String workflowId, long total, String parameters) {
    return jdbc.sql(
            "INSERT INTO operations (kind, target, workflow_id, state, progress_total, parameters)"
                + " VALUES (?, ?, ?, 'running', ?, ?) RETURNING id")
        .params(kind, target, workflowId, total, parameters)
        .query(Long.class)
        .single();
  }

  /** Sets how much work an operation has, once its plan is known. */
  public void total(long id, long total) {
    jdbc.sql("UPDATE operations SET progress_total = ? WHERE id = ?").params(total, id).update();
  }

  /** Adds to the operation's progress (batches finish in any order). */
  public void advance(long id, long done) {
    jdbc.sql("UPDATE operations SET progress_done = progress_done + ? WHERE id = ?")
        .params(done, id)
        .update();
  }

  /** The newest operations first, at most {@code limit}. */
  public List<Operation> recent(int limit) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM operations ORDER BY id DESC LIMIT ?")
        .param(limit)
        .query(OperationPersistence::row)
        .list();
  }

  public Optional<Operation> find(long id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM operations WHERE id = ?")
        .param(id)
        .query(OperationPersistence::row)
        .optional();
  }

  /** Records the step a running operation is at (e.g. a split's "committed"). */
  public void phase(long id, String phase) {
    jdbc.sql("UPDATE operations SET phase = ? WHERE id = ?").params(phase, id).update();
  }

  /** Operations still marked running, oldest first. */
  public List<Operation> running() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM operations WHERE state = 'running' ORDER BY id")
        .query(OperationPersistence::row)
        .list();
  }

  /** The running operation of a kind on a target, if any. */
  public Optional<Operation> running(String kind, String target) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM operations WHERE state = 'running' AND kind = ? AND target = ?"
                + " ORDER BY id DESC LIMIT 1")
        .params(kind, target)
        .query(OperationPersistence::row)
        .optional();
  }

  /** The latest operation of a kind on a target, in any state. */
  public Optional<Operation> latest(String kind, String target) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM operations WHERE kind = ? AND target = ? ORDER BY id DESC LIMIT 1")
        .params(kind, target)
        .query(OperationPersistence::row)
        .optional();
  }

  private static final String COLUMNS =
      "id, kind, target, workflow_id, state, phase, progress_done, progress_total, error,"
          + " started_at, finished_at, parameters";

  private static Operation row(ResultSet rs, int rowNum) throws SQLException {
    return new Operation(
        rs.getLong("id"),
        rs.getString("kind"),
        rs.getString("target"),
        rs.getString("workflow_id"),
        rs.getString("state"),
        rs.getString("phase"),
        rs.getLong("progress_done"),
        rs.getLong("progress_total"),
        rs.getString("error"),
        rs.getObject("started_at", OffsetDateTime.class),
        rs.getObject("finished_at", OffsetDateTime.class),
        rs.getString("parameters"));
  }

  /**
   * Ends a running operation; a finished one keeps its outcome (a late duplicate finish, e.g. from
   * a retried activity, changes nothing).
   */
  public void finish(long id, String state, String error) {
    jdbc.sql(
            "UPDATE operations SET state = ?, error = ?, finished_at = NOW()"
                + " WHERE id = ? AND state = 'running'")
        .params(state, error, id)
        .update();
  }
}
