package io.storagecontroller.model;

/**
 * A request the controller refuses, in the domain's words: what kind of refusal it is and a message
 * naming what was wrong. Nothing changed when it is thrown. Only the HTTP edge turns a kind into a
 * status code (and Neon's message prefix); the domain never speaks HTTP.
 */
public final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the request is refused. */
  public enum Kind {
    /** The request itself is malformed or asks for something impossible. */
    BAD_REQUEST,
    NOT_FOUND,
    /** It conflicts with the current state (already exists, mid-split, already migrating...). */
    CONFLICT,
    /** The target is not in a state that allows it (a node not schedulable, say). */
    PRECONDITION_FAILED,
    /** Not now: a pageserver or the database cannot take it; retry later. */
    UNAVAILABLE,
    /** The controller did not become ready in time to answer. */
    TIMEOUT,
    /** A pageserver's own refusal, relayed with its status ({@link #relayedStatus()}). */
    RELAYED
  }

  private final Kind kind;
  private final int relayedStatus;

  private Refusal(Kind kind, String message, int relayedStatus) {
    super(message);
    this.kind = kind;
    this.relayedStatus = relayedStatus;
  }

  public static Refusal of(Kind kind, String message) {
    return new Refusal(kind, message, 0);
  }

  public static Refusal badRequest(String message) {
    return of(Kind.BAD_REQUEST, message);
  }

  public static Refusal notFound(String message) {
    return of(Kind.NOT_FOUND, message);
  }

  public static Refusal conflict(String message) {
    return of(Kind.CONFLICT, message);
  }

  public static Refusal preconditionFailed(String message) {
    return of(Kind.PRECONDITION_FAILED, message);
  }

  public static Refusal unavailable(String message) {
    return of(Kind.UNAVAILABLE, message);
  }

  public static Refusal timeout(String message) {
    return of(Kind.TIMEOUT, message);
  }

  /** The process is stopping: the caller retries elsewhere or later. */
  public static Refusal shuttingDown() {
    return unavailable("Shutting down");
  }

  /**
   * A pageserver's answer on a call made on the caller's behalf; {@code status} 0 when it did not
   * answer at all.
   */
  public static Refusal relayed(int status, String message) {
    return new Refusal(Kind.RELAYED, message, status);
  }

  public Kind kind() {
    return kind;
  }

  /** For {@link Kind#RELAYED}: the pageserver's status, 0 when it did not answer. */
  public int relayedStatus() {
    return relayedStatus;
  }
}
