package io.storagecontroller.temporal;

import io.storagecontroller.startup.BootId;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import java.lang.management.ManagementFactory;
import org.springframework.stereotype.Component;

/**
 * The identity this process's client and workers give Temporal: the SDK's {@code pid@host} and this
 * process's boot id. Every start gets a new one, also where a restarted container has the same pid
 * and host name as the process it replaces, so a step attempt recorded under any other identity was
 * started by a controller that no longer polls (see {@code StrandedSteps}).
 */
@Component
public class WorkerIdentity implements TemporalOptionsCustomizer<WorkflowClientOptions.Builder> {
  private final String value;

  public WorkerIdentity(BootId boot) {
    this.value = ManagementFactory.getRuntimeMXBean().getName() + "/" + boot.value();
  }

  public String value() {
    return value;
  }

  @Override
  public WorkflowClientOptions.Builder customize(WorkflowClientOptions.Builder options) {
    return options.setIdentity(value);
  }
}
