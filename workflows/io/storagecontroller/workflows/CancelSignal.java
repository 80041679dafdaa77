package io.storagecontroller.workflows;

/**
 * The signal every cancellable operation workflow declares ({@code @SignalMethod(name =
 * CancelSignal.NAME)}): a signal, not Temporal cancellation, so the workflow stops between steps
 * and never abandons a pageserver call halfway.
 */
public final class CancelSignal {
  public static final String NAME = "cancel";

  private CancelSignal() {}
}
