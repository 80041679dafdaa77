package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** A node's availability as the API reports it. Never persisted: every node starts OFFLINE. */
public enum NodeAvailability {
  ACTIVE("Active"),
  WARMING_UP("WarmingUp"),
  OFFLINE("Offline");

  private final String jsonName;

  NodeAvailability(String jsonName) {
    this.jsonName = jsonName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static NodeAvailability fromJson(String text) {
    return Arrays.stream(values())
        .filter(v -> v.jsonName.equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown node availability '"
                        + text
                        + "': expected one of "
                        + Arrays.stream(values()).map(NodeAvailability::jsonName).toList()));
  }
}
