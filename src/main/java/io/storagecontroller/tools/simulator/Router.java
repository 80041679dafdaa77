package io.storagecontroller.tools.simulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Matches a request to an endpoint by method and path template ({@code /v1/tenant/{id}}). */
final class Router {
  /** Answers one kind of request. */
  @FunctionalInterface
  interface Endpoint {
    Reply handle(Request request);
  }

  private record Route(String method, List<String> segments, Endpoint endpoint) {}

  private final List<Route> routes = new ArrayList<>();

  Router add(String method, String template, Endpoint endpoint) {
    routes.add(new Route(method, segments(template), endpoint));
    return this;
  }

  Reply dispatch(Request request) {
    List<String> path = segments(request.path());
    boolean pathKnown = false;
    for (Route route : routes) {
      Map<String, String> params = match(route.segments(), path);
      if (params != null) {
        if (route.method().equals(request.method())) {
          return route.endpoint().handle(request.withParams(params));
        }
        pathKnown = true;
      }
    }
    return pathKnown
        ? Reply.error(405, "method " + request.method() + " not allowed on " + request.path())
        : Reply.error(404, "NotFound: no route for " + request.path());
  }

  private static Map<String, String> match(List<String> template, List<String> path) {
    if (template.size() != path.size()) {
      return null;
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String part = template.get(i);
      if (part.startsWith("{") && part.endsWith("}")) {
        params.put(part.substring(1, part.length() - 1), path.get(i));
      } else if (!part.equals(path.get(i))) {
        return null;
      }
    }
    return params;
  }

  private static List<String> segments(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts;
  }
}
