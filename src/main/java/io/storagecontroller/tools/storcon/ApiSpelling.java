package io.storagecontroller.tools.storcon;

import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeSchedulingPolicy;
import io.storagecontroller.model.PlacementPolicy;
import io.storagecontroller.model.ShardSchedulingPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tools.jackson.databind.JsonNode;

/**
 * How the CLI takes the API's enum values: Neon's storcon_cli spells them in lower case ({@code
 * pause}, {@code attached:1}); the API's own spelling ({@code PauseForRestart}) and kebab or snake
 * case are accepted too. Each converter yields the API's spelling.
 */
final class ApiSpelling {
  private ApiSpelling() {}

  static String match(String given, String what, List<String> apiNames) {
    String key = normalized(given);
    return apiNames.stream()
        .filter(name -> normalized(name).equals(key))
        .findFirst()
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "unknown " + what + " '" + given + "', expected one of " + kebab(apiNames)));
  }

  private static String normalized(String name) {
    return name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
  }

  private static List<String> kebab(List<String> apiNames) {
    return apiNames.stream()
        .map(n -> n.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT))
        .toList();
  }

  /** A node's scheduling policy: active, pause, pause-for-restart, ... */
  static final class NodeScheduling implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return match(
          value,
          "node scheduling policy",
          Arrays.stream(NodeSchedulingPolicy.values())
              .map(NodeSchedulingPolicy::jsonName)
              .toList());
    }
  }

  /** A node's availability: active or offline (warming-up too). */
  static final class Availability implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return match(
          value,
          "availability",
          Arrays.stream(NodeAvailability.values()).map(NodeAvailability::jsonName).toList());
    }
  }

  /** A tenant's scheduling policy: active, essential, pause, stop. */
  static final class ShardScheduling implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return match(
          value,
          "scheduling policy",
          Arrays.stream(ShardSchedulingPolicy.values())
              .map(ShardSchedulingPolicy::jsonName)
              .toList());
    }
  }

  /** A placement policy: detached, secondary or attached:N (N secondaries). */
  static final class Placement implements ITypeConverter<JsonNode> {
    @Override
    public JsonNode convert(String value) {
      String v = value.strip().toLowerCase(Locale.ROOT);
      PlacementPolicy policy;
      if (v.equals("detached")) {
        policy = PlacementPolicy.DETACHED;
      } else if (v.equals("secondary")) {
        policy = PlacementPolicy.SECONDARY;
      } else if (v.matches("attached(:\\d{1,4})?")) {
        policy =
            new PlacementPolicy.Attached(
                v.contains(":") ? Integer.parseInt(v.substring(v.indexOf(':') + 1)) : 0);
      } else {
        throw new TypeConversionException(
            "unknown placement policy '"
                + value
                + "', expected detached, secondary or attached:<secondaries> (e.g. attached:1)");
      }
      return ControllerApi.JSON.readTree(policy.toJson());
    }
  }
}
