package io.storagecontroller.http;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generates requests a correct controller refuses, on every route the handler mapping lists:
 * malformed path variables, well-formed ids of nothing, broken bodies, malformed query values and
 * bodies that are not JSON by their content type.
 */
final class BadRequests {
  static final String JSON_TYPE = "application/json";

  private final List<FuzzedRoute> routes;
  private final Victims victims;
  private final Map<String, BodyTemplates.Template> templates;

  BadRequests(List<FuzzedRoute> routes, Victims victims) {
    this.routes = routes;
    this.victims = victims;
    this.templates = BodyTemplates.of(victims);
  }

  /** Routes that read a body but have no template: the fuzz test refuses to run without one. */
  List<FuzzedRoute> withoutTemplate() {
    return routes.stream()
        .filter(r -> r.body() != FuzzedRoute.Body.NONE && !templates.containsKey(r.key()))
        .toList();
  }

  Arbitrary<BadRequest> any() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, malformedPathVariable()),
        Tuple.of(2, unknownIds()),
        Tuple.of(6, brokenBody()),
        Tuple.of(2, malformedQuery()),
        Tuple.of(1, notJsonContentType()));
  }

  private Arbitrary<BadRequest> malformedPathVariable() {
    return Arbitraries.of(matching(r -> !r.pathVariables().isEmpty()))
        .flatMap(
            route ->
                Arbitraries.of(route.pathVariables())
                    .flatMap(
                        variable ->
                            MalformedValues.pathValue(variable, victims)
                                .map(
                                    bad -> {
                                      Map<String, String> values = victimValues(route);
                                      values.put(variable, bad);
                                      return request(
                                          "malformed " + variable,
                                          route,
                                          values,
                                          validQuery(route, Map.of()),
                                          templateBody(route),
                                          JSON_TYPE);
                                    })));
  }

  /** Well-formed ids that name nothing, on routes whose only input is the path. */
  private Arbitrary<BadRequest> unknownIds() {
    return Arbitraries.of(
            matching(r -> !r.pathVariables().isEmpty() && r.body() == FuzzedRoute.Body.NONE))
        .flatMap(
            route ->
                unknownValues(route)
                    .map(
                        values ->
                            request(
                                "unknown ids",
                                route,
                                values,
                                validQuery(route, Map.of()),
                                null,
                                null)));
  }

  private Arbitrary<BadRequest> brokenBody() {
    return Arbitraries.of(matching(r -> r.body() != FuzzedRoute.Body.NONE))
        .flatMap(
            route ->
                pathValues(route)
                    .flatMap(
                        values ->
                            BrokenBodies.of(templates.get(route.key()), route.body())
                                .map(
                                    broken ->
                                        request(
                                            broken.what(),
                                            route,
                                            values,
                                            validQuery(route, Map.of()),
                                            broken.bytes(),
                                            JSON_TYPE))));
  }

  private Arbitrary<BadRequest> malformedQuery() {
    return Arbitraries.of(matching(r -> !r.query().isEmpty()))
        .flatMap(
            route ->
                Arbitraries.of(route.query())
                    .flatMap(
                        param ->
                            Arbitraries.oneOf(
                                    MalformedValues.queryValue(param.type()),
                                    // A required parameter left out.
                                    Arbitraries.just(param.required() ? null : "abc%00"))
                                .flatMap(
                                    bad ->
                                        pathValues(route)
                                            .map(
                                                values -> {
                                                  Map<String, String> query = new HashMap<>();
                                                  query.put(param.name(), bad);
                                                  return request(
                                                      "malformed query " + param.name(),
                                                      route,
                                                      values,
                                                      validQuery(route, query),
                                                      templateBody(route),
                                                      JSON_TYPE);
                                                }))));
  }

  private Arbitrary<BadRequest> notJsonContentType() {
    return Arbitraries.of(matching(r -> r.body() != FuzzedRoute.Body.NONE))
        .flatMap(
            route ->
                Arbitraries.of(
                        "text/plain",
                        "application/xml",
                        "application/x-www-form-urlencoded",
                        "multipart/form-data; boundary=x",
                        "")
                    .map(
                        type ->
                            request(
                                "content type '" + type + "'",
                                route,
                                victimValues(route),
                                validQuery(route, Map.of()),
                                templateBody(route),
                                type.isEmpty() ? null : type)));
  }

  private List<FuzzedRoute> matching(Predicate<FuzzedRoute> filter) {
    return routes.stream().filter(filter).toList();
  }

  /** The victims' ids (half the time) or ids of nothing. */
  private Arbitrary<Map<String, String>> pathValues(FuzzedRoute route) {
    return Arbitraries.oneOf(Arbitraries.just(victimValues(route)), unknownValues(route));
  }

  private Map<String, String> victimValues(FuzzedRoute route) {
    Map<String, String> values = new HashMap<>();
    for (String variable : route.pathVariables()) {
      values.put(
          variable,
          switch (variable) {
            case "tenant_id" -> victims.tenant();
            case "tenant_shard_id" -> victims.shard();
            case "node_id" -> Long.toString(victims.node());
            case "timeline_id" -> victims.timeline();
            default -> "987654321987"; // operation ids: none is this high
          });
    }
    return values;
  }

  private Arbitrary<Map<String, String>> unknownValues(FuzzedRoute route) {
    // No edge cases: an id of nothing must not be the same few constants every time.
    Arbitrary<String> hex =
        Arbitraries.strings().withChars("0123456789abcdef").ofLength(32).withoutEdgeCases();
    Arbitrary<Long> number =
        Arbitraries.longs().between(8_000_000_000_000L, 9_000_000_000_000L).withoutEdgeCases();
    return Combinators.combine(hex, hex, number, Arbitraries.of("", "-0001", "-0102"))
        .as(
            (tenant, timeline, n, suffix) -> {
              Map<String, String> values = new HashMap<>();
              for (String variable : route.pathVariables()) {
                values.put(
                    variable,
                    switch (variable) {
                      case "tenant_id" -> tenant;
                      case "tenant_shard_id" -> tenant + suffix;
                      case "timeline_id" -> timeline;
                      default -> Long.toString(n);
                    });
              }
              return values;
            });
  }

  /** Valid values for the route's required query parameters, with the given ones overriding. */
  private static String validQuery(FuzzedRoute route, Map<String, String> overrides) {
    Map<String, String> query = new HashMap<>();
    for (FuzzedRoute.Query q : route.query()) {
      if (q.required()) {
        query.put(q.name(), "2024-01-01T00:00:00Z");
      }
    }
    query.putAll(overrides);
    String text =
        query.entrySet().stream()
            .filter(e -> e.getValue() != null)
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("&"));
    return text.isEmpty() ? "" : "?" + text;
  }

  private byte[] templateBody(FuzzedRoute route) {
    if (route.body() == FuzzedRoute.Body.NONE) {
      return null;
    }
    return templates.get(route.key()).json().getBytes(StandardCharsets.UTF_8);
  }

  private static BadRequest request(
      String what,
      FuzzedRoute route,
      Map<String, String> values,
      String query,
      byte[] body,
      String contentType) {
    return new BadRequest(
        what, route.method(), route.path(values) + query, body, body == null ? null : contentType);
  }
}
