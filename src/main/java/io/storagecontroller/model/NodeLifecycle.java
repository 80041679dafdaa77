package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Whether a node is registered or a tombstone. A deleted node stays in {@code nodes.lifecycle} so
 * that its id cannot be registered again; the column holds lowercase names.
 */
public enum NodeLifecycle {
  ACTIVE("Active", "active"),
  DELETED("Deleted", "deleted");

  private final String jsonName;
  private final String dbName;

  NodeLifecycle(String jsonName, String dbName) {
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
  public static NodeLifecycle fromJson(String text) {
    return find(text, NodeLifecycle::jsonName);
  }

  public static NodeLifecycle fromDb(String text) {
    return find(text, NodeLifecycle::toDb);
  }

  private static NodeLifecycle find(String text, Function<NodeLifecycle, String> spelling) {
    return Arrays.stream(values())
        .filter(v -> spelling.apply(v).equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown node lifecycle '"
                        + text
                        + "': expected one of "
                        + Arrays.stream(values()).map(spelling).toList()));
  }
}
