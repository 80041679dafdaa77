package io.storagecontroller.tools.simulator;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.pageserver.PageserverJson;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A request's JSON object body, read field by field the way serde reads it: a wrong or missing
 * field is a 400 that names it.
 */
record JsonBody(JsonNode node) {

  /** A body that must be an object; no body (or {@code null}) counts as an empty object. */
  static JsonBody of(JsonNode node) {
    if (node.isMissingNode()) {
      return new JsonBody(PageserverJson.mapper().createObjectNode());
    }
    if (!node.isObject()) {
      throw ApiError.badRequest("expected a JSON object body");
    }
    return new JsonBody(node);
  }

  /** Like serde's deny_unknown_fields. */
  JsonBody rejectUnknown(Set<String> known) {
    for (String name : node.propertyNames()) {
      if (!known.contains(name)) {
        throw ApiError.badRequest("unknown field `" + name + "`, expected one of " + known);
      }
    }
    return this;
  }

  Optional<JsonNode> value(String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  OptionalLong optionalLong(String name) {
    Optional<JsonNode> value = value(name);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    if (!value.get().isIntegralNumber() || !value.get().canConvertToLong()) {
      throw invalid(name, "an integer");
    }
    return OptionalLong.of(value.get().longValue());
  }

  long longOr(String name, long otherwise) {
    return optionalLong(name).orElse(otherwise);
  }

  Optional<String> optionalString(String name) {
    Optional<JsonNode> value = value(name);
    if (value.isPresent() && !value.get().isString()) {
      throw invalid(name, "a string");
    }
    return value.map(JsonNode::asString);
  }

  String requiredString(String name) {
    return optionalString(name).orElseThrow(() -> missing(name));
  }

  Optional<Boolean> optionalBoolean(String name) {
    Optional<JsonNode> value = value(name);
    if (value.isPresent() && !value.get().isBoolean()) {
      throw invalid(name, "a boolean");
    }
    return value.map(JsonNode::booleanValue);
  }

  Optional<ObjectNode> optionalObject(String name) {
    Optional<JsonNode> value = value(name);
    if (value.isPresent() && !value.get().isObject()) {
      throw invalid(name, "an object");
    }
    return value.map(ObjectNode.class::cast);
  }

  ObjectNode requiredObject(String name) {
    return optionalObject(name).orElseThrow(() -> missing(name));
  }

  /** Parses a field with a domain parser that throws IllegalArgumentException on bad input. */
  <T> Optional<T> optionalParsed(String name, Function<String, T> parser) {
    return optionalString(name)
        .map(
            text -> {
              try {
                return parser.apply(text);
              } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("invalid `" + name + "`: " + e.getMessage());
              }
            });
  }

  static ApiError missing(String name) {
    return ApiError.badRequest("missing field `" + name + "`");
  }

  private static ApiError invalid(String name, String expected) {
    return ApiError.badRequest("invalid `" + name + "`: expected " + expected);
  }
}
