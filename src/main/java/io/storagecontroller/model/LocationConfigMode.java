package io.storagecontroller.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** The mode the controller asks a pageserver to hold a tenant shard location in. */
public enum LocationConfigMode {
  ATTACHED_SINGLE("AttachedSingle"),
  ATTACHED_MULTI("AttachedMulti"),
  ATTACHED_STALE("AttachedStale"),
  SECONDARY("Secondary"),
  DETACHED("Detached");

  private final String jsonName;

  LocationConfigMode(String jsonName) {
    this.jsonName = jsonName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static LocationConfigMode fromJson(String text) {
    return Arrays.stream(values())
        .filter(v -> v.jsonName.equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown location config mode '"
                        + text
                        + "': expected one of "
                        + Arrays.stream(values()).map(LocationConfigMode::jsonName).toList()));
  }
}
