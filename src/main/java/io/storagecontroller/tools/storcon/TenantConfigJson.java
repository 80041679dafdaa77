package io.storagecontroller.tools.storcon;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code --config} value: tenant config fields as one JSON object, e.g. {@code
 * '{"gc_period":"1h"}'}, sent flattened into the request body as Neon's {@code TenantConfig} is.
 * Which fields exist and what they may hold is the controller's to judge.
 */
final class TenantConfigJson implements ITypeConverter<ObjectNode> {
  @Override
  public ObjectNode convert(String value) {
    JsonNode fields;
    try {
      fields = ControllerApi.JSON.readTree(value);
    } catch (JacksonException e) {
      throw new TypeConversionException("not JSON: " + value);
    }
    if (!(fields instanceof ObjectNode object)) {
      throw new TypeConversionException("not a JSON object: " + value);
    }
    return object;
  }
}
