package io.storagecontroller.orchestration;

import io.storagecontroller.operation.Operation;

/**
 * One kind of long operation (drain, fill, migrate, split, ...): how to run it again and how to
 * repair its target when its workflow was lost. Each kind lives with its domain and registers
 * itself as a bean, so this package depends on none of them.
 */
public interface OperationKind {
  /** The {@code kind} column this handles. */
  String kind();

  /** Whether a running operation of this kind stops when sent {@code CancelSignal.NAME}. */
  default boolean cancellable() {
    return true;
  }

  /**
   * Starts the operation again with the same target; returns the new operation's row. Refuses with
   * an {@code Refusal} when the target no longer allows it.
   */
  Operation retry(Operation previous);

  /**
   * Called once for an operation whose workflow is gone (the embedded Temporal service forgets
   * workflows when the process dies): put the target back in a state operators can act on, e.g. a
   * node left Draining back to Active.
   */
  default void interrupted(Operation operation) {}
}
