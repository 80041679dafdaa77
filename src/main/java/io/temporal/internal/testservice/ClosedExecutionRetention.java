package io.temporal.internal.testservice;

import io.temporal.testing.TestWorkflowEnvironment;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/*
 * storage_controller: not part of the SDK. The in-process test service of temporal-testing 1.38.0
 * keeps every execution it ever ran: its mutable state in three maps of TestWorkflowService, its
 * history in TestWorkflowStoreImpl, its search attributes in TestVisibilityStoreImpl. Nothing
 * removes them (a Temporal server drops a closed execution once its namespace's retention has
 * passed; the test service has no retention), so a controller on the embedded defaults grew by a
 * few KiB per workflow until its heap was full. This class gives the test service that retention.
 * The service's timers hold their workflow's state too, some until the far future; it takes those
 * of the workflows it forgets off the timer queue (SelfAdvancingTimerImpl, shadowed for that).
 * It sits in the service's package because the maps are typed by package-private classes; the
 * maps themselves are private fields, reached by name. ClosedExecutionRetentionTest fails if a
 * new SDK renames or retypes them, rather than the controller silently keeping everything.
 */

/**
 * Forgets the in-process service's executions that closed more than a retention period ago, as a
 * Temporal server does at the end of its namespace's retention: the execution, its history and its
 * search attributes. Running executions are never touched.
 *
 * <p>The service records no close time that can be read cheaply, so an execution's close is dated
 * by the first {@link #forgetClosedBefore} call that sees it closed: it is forgotten between one
 * retention period and one retention period plus one call interval after it closed.
 */
public final class ClosedExecutionRetention {
  private final Lock serviceLock;
  private final Map<ExecutionId, TestWorkflowMutableState> executions;
  private final Map<WorkflowId, TestWorkflowMutableState> executionsByWorkflowId;
  private final Map<?, TestWorkflowMutableState> executionsByFirstExecutionRunId;
  private final Lock storeLock;
  private final Map<ExecutionId, ?> histories;
  private final Map<ExecutionId, ?> searchAttributes;
  private final SelfAdvancingTimerImpl timer;

  /** The fields of each timer task's class (lambdas): what a task holds. */
  private static final ClassValue<Field[]> CAPTURED =
      new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
          Field[] fields = type.getDeclaredFields();
          try {
            for (Field field : fields) {
              field.setAccessible(true);
            }
            return fields;
          } catch (RuntimeException closedModule) {
            // A task from a module that does not open its classes: not one of the service's.
            return new Field[0];
          }
        }
      };

  /** Closed executions seen so far, with when they were first seen closed. */
  private final Map<ExecutionId, Instant> closedSince = new HashMap<>();

  /** What one call found and did. */
  public record Pass(int running, int closed, int forgotten, int timersRemoved) {}

  private ClosedExecutionRetention(TestWorkflowService service) {
    Object store = read(service, "store");
    this.serviceLock = read(service, "lock");
    this.executions = read(service, "executions");
    this.executionsByWorkflowId = read(service, "executionsByWorkflowId");
    this.executionsByFirstExecutionRunId = read(service, "executionsByFirstExecutionRunId");
    this.storeLock = read(store, "lock");
    this.histories = read(store, "histories");
    this.searchAttributes = read(read(service, "visibilityStore"), "executionSearchAttributes");
    this.timer = read(service, "selfAdvancingTimer");
  }

  /** The retention of an in-process service. */
  public static ClosedExecutionRetention of(TestWorkflowService service) {
    return new ClosedExecutionRetention(service);
  }

  /** The retention of an environment's in-process service. */
  public static ClosedExecutionRetention of(TestWorkflowEnvironment environment) {
    TestWorkflowService service = read(environment, "service");
    if (service == null) {
      throw new IllegalArgumentException("the environment runs no in-process service");
    }
    return new ClosedExecutionRetention(service);
  }

  /**
   * Forgets every execution first seen closed before {@code now - retention}. The service's lock is
   * held only to scan and remove its map entries, the store's only to remove histories; the two are
   * never held together, so no order between them can deadlock with the service's own calls.
   */
  public synchronized Pass forgetClosedBefore(Instant now, Duration retention) {
    Instant cutoff = now.minus(retention);
    List<ExecutionId> forgotten = new ArrayList<>();
    Set<TestWorkflowMutableState> forgottenStates =
        Collections.newSetFromMap(new IdentityHashMap<>());
    int running = 0;
    serviceLock.lock();
    try {
      Iterator<Map.Entry<ExecutionId, TestWorkflowMutableState>> it =
          executions.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<ExecutionId, TestWorkflowMutableState> entry = it.next();
        TestWorkflowMutableState state = entry.getValue();
        if (!state.isTerminalState()) {
          running++;
          continue;
        }
        Instant since = closedSince.putIfAbsent(entry.getKey(), now);
        if (since != null && since.isBefore(cutoff)) {
          it.remove();
          // Only if it is still the workflow id's latest run: a newer run keeps the id.
          executionsByWorkflowId.remove(entry.getKey().getWorkflowId(), state);
          forgotten.add(entry.getKey());
          forgottenStates.add(state);
        }
      }
      if (!forgottenStates.isEmpty()) {
        executionsByFirstExecutionRunId.values().removeIf(forgottenStates::contains);
      }
    } finally {
      serviceLock.unlock();
    }
    storeLock.lock();
    try {
      forgotten.forEach(histories::remove);
    } finally {
      storeLock.unlock();
    }
    for (ExecutionId id : forgotten) {
      searchAttributes.remove(id);
      closedSince.remove(id);
    }
    int timersRemoved = timer.purge(task -> holdsAny(task, forgottenStates));
    return new Pass(running, closedSince.size(), forgotten.size(), timersRemoved);
  }

  /** Timers queued in the service, cancelled ones not yet purged included. */
  public int queuedTimers() {
    return timer.queued();
  }

  /** Lock events the service's timer keeps for its diagnostics. */
  public int recordedLockEvents() {
    return timer.recordedLockEvents();
  }

  /** Whether the task (a lambda) holds one of these states: a timer of a forgotten workflow. */
  private static boolean holdsAny(Runnable task, Set<TestWorkflowMutableState> states) {
    if (states.isEmpty()) {
      return false;
    }
    for (Field field : CAPTURED.get(task.getClass())) {
      try {
        if (states.contains(field.get(task))) {
          return true;
        }
      } catch (IllegalAccessException e) {
        return false;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static <T> T read(Object owner, String name) {
    try {
      Field field = owner.getClass().getDeclaredField(name);
      field.setAccessible(true);
      return (T) field.get(owner);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "temporal-testing changed: "
              + owner.getClass().getName()
              + " has no field "
              + name
              + "; the in-process service's retention needs updating",
          e);
    }
  }
}
