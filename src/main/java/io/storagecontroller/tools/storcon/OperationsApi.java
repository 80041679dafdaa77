package io.storagecontroller.tools.storcon;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The operations API from the CLI's side: find the operation a request just started, and follow one
 * to its end while drawing its progress.
 */
public final class OperationsApi {
  /** How often a followed operation is read again. */
  static final Duration POLL = Duration.ofMillis(250);

  /** How long a started operation may take to show up in the list. */
  static final Duration APPEAR = Duration.ofSeconds(10);

  private final ControllerApi api;

  public OperationsApi(ControllerApi api) {
    this.api = api;
  }

  public JsonNode get(long id) {
    return api.get("/control/v1/operations/" + id);
  }

  /** The newest operation's id, or 0 when there is none: started operations get larger ids. */
  public long newestId() {
    JsonNode list = api.get("/control/v1/operations?limit=1");
    return list.isArray() && !list.isEmpty() ? list.get(0).path("id").asLong(0) : 0;
  }

  /** The newest operation of this kind on this target with an id above {@code after}, if any. */
  public Optional<JsonNode> startedAfter(long after, String kind, String target) {
    for (JsonNode operation : api.get("/control/v1/operations?limit=100")) {
      if (operation.path("id").asLong() > after
          && operation.path("kind").asString("").equals(kind)
          && operation.path("target").asString("").equals(target)) {
        return Optional.of(operation);
      }
    }
    return Optional.empty();
  }

  /**
   * Waits (up to {@link #APPEAR}) for the operation a request started to be listed; empty if none
   * appears, e.g. when there was nothing to do.
   */
  public Optional<JsonNode> awaitStarted(long after, String kind, String target) {
    Instant end = Instant.now().plus(APPEAR);
    while (true) {
      Optional<JsonNode> found = startedAfter(after, kind, target);
      if (found.isPresent() || Instant.now().isAfter(end)) {
        return found;
      }
      pause();
    }
  }

  /**
   * Reads the operation until it is no longer running, drawing its progress; returns its final
   * state. With a timeout, gives up (an {@link ApiFailure}) while it still runs; the operation
   * itself goes on.
   */
  public JsonNode follow(long id, ProgressBar bar, Duration timeout) {
    Instant end = timeout == null ? Instant.MAX : Instant.now().plus(timeout);
    while (true) {
      JsonNode operation = get(id);
      if (!operation.path("state").asString("").equals("running")) {
        bar.finish(operation);
        return operation;
      }
      bar.draw(operation);
      if (Instant.now().isAfter(end)) {
        bar.finish(operation);
        throw new ApiFailure(
            0,
            "operation "
                + id
                + " is still running after "
                + timeout
                + "; follow it with: storcon operations watch "
                + id);
      }
      pause();
    }
  }

  static boolean succeeded(JsonNode operation) {
    return operation.path("state").asString("").equals("succeeded");
  }

  /** Waits {@link #POLL} before the next read; an interrupt ends the command (exit 1). */
  static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiFailure(0, "interrupted");
    }
  }
}
