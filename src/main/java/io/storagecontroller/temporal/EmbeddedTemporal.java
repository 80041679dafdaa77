package io.storagecontroller.temporal;

import io.temporal.client.WorkflowClient;
import io.temporal.internal.testservice.ClosedExecutionRetention;
import io.temporal.internal.testservice.InProcessService;
import io.temporal.spring.boot.autoconfigure.template.TestWorkflowEnvironmentAdapter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;

/**
 * The in-process Temporal service, as the Temporal starter takes it: its client and worker factory
 * replace the ones it would make for a remote target.
 */
public final class EmbeddedTemporal implements TestWorkflowEnvironmentAdapter, AutoCloseable {
  private final TestWorkflowEnvironment environment;
  private final InProcessService service;

  EmbeddedTemporal(TestWorkflowEnvironment environment, InProcessService service) {
    this.environment = environment;
    this.service = service;
  }

  @Override
  public WorkflowClient getWorkflowClient() {
    return environment.getWorkflowClient();
  }

  @Override
  public WorkerFactory getWorkerFactory() {
    return environment.getWorkerFactory();
  }

  /** Forgets the in-process service's finished workflows ({@link FinishedWorkflowRetention}). */
  ClosedExecutionRetention retention() {
    return ClosedExecutionRetention.of(service.workflowService());
  }

  @Override
  public void close() {
    environment.close();
    service.close();
  }
}
