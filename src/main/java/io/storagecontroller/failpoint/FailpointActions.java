package io.storagecontroller.failpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a configured failpoint does: a chain of tasks written {@code task->task->...}, of which the
 * first that fires acts (so {@code 2*return->pause} fails twice, then pauses). Each configuration
 * is a new instance, which is how a paused thread notices that it was changed.
 */
final class FailpointActions {
  private final String text;
  private final List<FailpointAction> tasks;

  private FailpointActions(String text, List<FailpointAction> tasks) {
    this.text = text;
    this.tasks = tasks;
  }

  /**
   * @throws IllegalArgumentException naming the task that cannot be parsed
   */
  static FailpointActions parse(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("no action given");
    }
    List<FailpointAction> tasks = new ArrayList<>();
    for (String task : text.split("->", -1)) {
      try {
        tasks.add(FailpointAction.parse(task));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + task.trim() + "': " + e.getMessage(), e);
      }
    }
    return new FailpointActions(text, List.copyOf(tasks));
  }

  /** True for plain {@code off}: the failpoint is removed rather than kept as a no-op. */
  boolean off() {
    return tasks.size() == 1
        && tasks.get(0).kind() == FailpointAction.Kind.OFF
        && tasks.get(0).remaining() == null;
  }

  /** The task that fires on this hit, if any. */
  Optional<FailpointAction> next() {
    return tasks.stream().filter(FailpointAction::fires).findFirst();
  }

  @Override
  public String toString() {
    return text;
  }
}
