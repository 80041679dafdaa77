package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Whether the scheduler may place shards on a node. The API spells values in PascalCase, but the
 * {@code nodes.scheduling_policy} column holds snake_case without quotes, so there are two codecs.
 */
public enum NodeSchedulingPolicy {
  ACTIVE("Active", "active"),
  FILLING("Filling", "filling"),
  PAUSE("Pause", "pause"),
  PAUSE_FOR_RESTART("PauseForRestart", "pause_for_restart"),
  DRAINING("Draining", "draining"),
  DELETING("Deleting", "deleting");

  private final String jsonName;
  private final String dbName;

  NodeSchedulingPolicy(String jsonName, String dbName) {
    this.jsonName = jsonName;
    this.dbName = dbName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  public String toDb() {
    return dbName;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static NodeSchedulingPolicy fromJson(String text) {
    return find(text, NodeSchedulingPolicy::jsonName);
  }

  public static NodeSchedulingPolicy fromDb(String text) {
    return find(text, NodeSchedulingPolicy::toDb);
  }

  private static NodeSchedulingPolicy find(
      String text, Function<NodeSchedulingPolicy, String> spelling) {
    return Arrays.stream(values())
        .filter(v -> spelling.apply(v).equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown node scheduling policy '"
                        + text
                        + "': expected one of "
                        + Arrays.stream(values()).map(spelling).toList()));
  }
}
