package io.storagecontroller.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.activities.TaskQueues;
import io.storagecontroller.testing.ControllerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The warm-up histories replay on the controller's own worker with today's workflow code. */
class WorkflowWarmUpTest extends ControllerTest {
  @Autowired WorkflowWarmUp warmUp;

  @Test
  void everyWarmUpHistoryReplays() {
    assertThat(warmUp.run(TaskQueues.CONTROLLER)).isEqualTo(WorkflowWarmUp.HISTORIES.size());
  }

  @Test
  void anUnknownTaskQueueWarmsNothing() {
    assertThat(warmUp.run("no-such-queue")).isZero();
  }
}
