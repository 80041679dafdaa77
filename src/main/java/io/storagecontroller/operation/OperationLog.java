package io.storagecontroller.operation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.shard.ShardStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The operations table as the rest of the controller uses it: one row per long operation with its
 * phase, progress and outcome, each change its own transaction. Ending an operation, however it
 * ends, first releases every shard it held.
 */
@Component
public class OperationLog {
  private final OperationPersistence rows;
  private final SerializableTransactions transactions;
  private final ShardStore shards;
  private final MeterRegistry registry;

  /** Running operations by kind, as of the last listing (see {@link #running()}). */
  private final Map<String, AtomicInteger> runningByKind = new ConcurrentHashMap<>();

  public OperationLog(
      OperationPersistence rows,
      SerializableTransactions transactions,
      ShardStore shards,
      MeterRegistry registry) {
    this.rows = rows;
    this.transactions = transactions;
    this.shards = shards;
    this.registry = registry;
  }

  /** Records a started operation; returns its id. */
  public long start(String kind, String target, String workflowId, long total, String parameters) {
    return transactions.execute(
        "insert_operation", () -> rows.start(kind, target, workflowId, total, parameters));
  }

  /** As {@link #start(String, String, String, long, String)}, already at {@code phase}. */
  public long startAt(
      String kind, String target, String workflowId, String parameters, String phase) {
    return transactions.execute(
        "insert_operation",
        () -> {
          long id = rows.start(kind, target, workflowId, 0, parameters);
          rows.phase(id, phase);
          return id;
        });
  }

  public Optional<Operation> find(long id) {
    return transactions.execute("get_operation", () -> rows.find(id));
  }

  public List<Operation> recent(int limit) {
    return transactions.execute("list_operations", () -> rows.recent(limit));
  }

  /**
   * Operations still marked running, oldest first. Each listing also sets {@code
   * storage_controller_operations_running{kind}}: the control loop's repair pass lists them every
   * pass, so the gauge is at most one pass old.
   */
  public List<Operation> running() {
    List<Operation> running = transactions.execute("list_operations", rows::running);
    Map<String, Integer> counts = new HashMap<>();
    running.forEach(op -> counts.merge(op.kind(), 1, Integer::sum));
    counts.keySet().forEach(this::gauge);
    runningByKind.forEach((kind, gauge) -> gauge.set(counts.getOrDefault(kind, 0)));
    return running;
  }

  /** The gauge of a kind, registered when first seen (and from then on 0 when none runs). */
  private AtomicInteger gauge(String kind) {
    return runningByKind.computeIfAbsent(
        kind,
        k -> {
          AtomicInteger count = new AtomicInteger();
          Gauge.builder("storage_controller_operations_running", count, AtomicInteger::get)
              .description("Operations running, by kind, as of the control loop's last pass")
              .tag("kind", k)
              .register(registry);
          return count;
        });
  }

  /** The running operation of a kind on a target, if any. */
  public Optional<Operation> running(String kind, String target) {
    return transactions.execute("get_operation", () -> rows.running(kind, target));
  }

  /** The latest operation of a kind on a target, whatever its state. */
  public Optional<Operation> latest(String kind, String target) {
    return transactions.execute("get_operation", () -> rows.latest(kind, target));
  }

  public void phase(long id, String phase) {
    transactions.run("update_operation", () -> rows.phase(id, phase));
  }

  /** Sets how much work the operation has, once its plan is known. */
  public void total(long id, long total) {
    transactions.run("update_operation", () -> rows.total(id, total));
  }

  /** Adds to the operation's progress (batches finish in any order). */
  public void advance(long id, long done) {
    if (done > 0) {
      transactions.run("update_operation", () -> rows.advance(id, done));
    }
  }

  /**
   * Ends a running operation: releases what it held, then records the outcome (and its last phase,
   * if given). A finished operation keeps its outcome: a late duplicate finish changes nothing.
   */
  public void finish(long id, String state, String error, String phase) {
    shards.releaseHeldBy(id);
    transactions.run(
        "update_operation",
        () -> {
          if (phase != null) {
            rows.phase(id, phase);
          }
          rows.finish(id, state, error);
        });
  }

  public void finish(long id, String state, String error) {
    finish(id, state, error, null);
  }
}
