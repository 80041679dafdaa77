package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/**
 * How far the scheduler may act on one tenant shard. The {@code tenant_shards.scheduling_policy}
 * column holds the JSON text including its quotes (default {@code "Active"}), hence {@link #toDb}.
 */
public enum ShardSchedulingPolicy {
  ACTIVE("Active"),
  ESSENTIAL("Essential"),
  PAUSE("Pause"),
  STOP("Stop");

  private final String jsonName;

  ShardSchedulingPolicy(String jsonName) {
    this.jsonName = jsonName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  public String toDb() {
    return '"' + jsonName + '"';
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static ShardSchedulingPolicy fromJson(String text) {
    return Arrays.stream(values())
        .filter(v -> v.jsonName.equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown shard scheduling policy '"
                        + text
                        + "': expected one of "
                        + Arrays.stream(values()).map(ShardSchedulingPolicy::jsonName).toList()));
  }

  /** Reads the quoted JSON string stored in the database, e.g. {@code "Active"}. */
  public static ShardSchedulingPolicy fromDb(String text) {
    String trimmed = text == null ? "" : text.strip();
    if (trimmed.length() < 2 || !trimmed.startsWith("\"") || !trimmed.endsWith("\"")) {
      throw new IllegalArgumentException(
          "invalid shard scheduling policy in database '"
              + text
              + "': expected a quoted JSON string such as \"Active\"");
    }
    return fromJson(trimmed.substring(1, trimmed.length() - 1));
  }
}
