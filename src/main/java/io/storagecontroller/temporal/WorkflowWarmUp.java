package io.storagecontroller.temporal;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Runs the workflow code once before the workers poll, by replaying recorded histories of the
 * start-up and reconcile workflows on the controller's own worker: no service call, no activity,
 * nothing stored. A fresh JVM's first workflow task loads and initialises the SDK's replay
 * machinery and the workflows' classes (about a second on two busy cores); done while a candidate
 * waits or while a restart loads its state, that second is off the path to {@code /ready} and the
 * first writes. The histories are the replay tests' own (which keep them replaying); one that no
 * longer replays only loses its warm-up, and says so.
 */
@Component
public class WorkflowWarmUp {
  private static final Logger log = LoggerFactory.getLogger(WorkflowWarmUp.class);

  static final List<String> HISTORIES = List.of("warm-up/startup.json", "warm-up/reconcile.json");

  private final ObjectProvider<WorkerFactory> workers;

  public WorkflowWarmUp(ObjectProvider<WorkerFactory> workers) {
    this.workers = workers;
  }

  /** Replays every warm-up history; returns how many replayed. Never throws. */
  public int run(String taskQueue) {
    WorkerFactory factory = workers.getIfAvailable();
    if (factory == null) {
      return 0;
    }
    long start = System.nanoTime();
    int replayed = 0;
    for (String resource : HISTORIES) {
      try {
        Worker worker = factory.getWorker(taskQueue);
        if (worker == null) {
          return 0;
        }
        worker.replayWorkflowExecution(read(resource));
        replayed++;
      } catch (Exception e) {
        log.warn("workflow warm-up: {} did not replay ({})", resource, e.toString());
      }
    }
    log.info(
        "workflow warm-up: replayed {} of {} histories in {} ms",
        replayed,
        HISTORIES.size(),
        (System.nanoTime() - start) / 1_000_000);
    return replayed;
  }

  private static WorkflowExecutionHistory read(String resource) throws IOException {
    try (InputStream in = WorkflowWarmUp.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no resource " + resource);
      }
      return WorkflowExecutionHistory.fromJson(
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
