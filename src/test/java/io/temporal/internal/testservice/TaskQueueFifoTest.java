package io.temporal.internal.testservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Priority;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-process Temporal hands out tasks of equal priority oldest first (see TaskQueue). */
class TaskQueueFifoTest {

  @Test
  void ourCopyShadowsTheSdksClass() {
    String from = TaskQueue.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertThat(from).doesNotContain("temporal-testing");
  }

  @Test
  void tasksOfEqualPriorityComeOutInTheOrderTheyWentIn() throws Exception {
    TaskQueue<Integer> queue = new TaskQueue<>();
    for (int i = 0; i < 50; i++) {
      queue.add(i);
    }
    List<Integer> served = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      served.add(queue.poll().get());
    }
    assertThat(served).isSorted().hasSize(50);
  }

  @Test
  void aHigherPriorityStillGoesFirst() throws Exception {
    TaskQueue<String> queue = new TaskQueue<>();
    queue.add("normal-1");
    queue.add("urgent", Priority.newBuilder().setPriorityKey(1).build());
    queue.add("normal-2");
    assertThat(List.of(queue.poll().get(), queue.poll().get(), queue.poll().get()))
        .containsExactly("urgent", "normal-1", "normal-2");
  }
}
