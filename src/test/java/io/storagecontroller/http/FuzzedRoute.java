package io.storagecontroller.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * A route the application serves and the input its handler reads (path variables, a JSON body,
 * query parameters), taken from Spring MVC's handler mapping so that a new route is fuzzed without
 * being listed anywhere.
 */
record FuzzedRoute(
    String method, String pattern, List<String> pathVariables, Body body, List<Query> query) {

  /** What the handler's {@code @RequestBody} is, if it has one. */
  enum Body {
    NONE,
    OBJECT,
    LIST
  }

  /** A query parameter: its name, whether it is required, and the Java type it is read as. */
  record Query(String name, boolean required, Class<?> type) {}

  private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([^}]*)}");

  /** The key of per-route tables: {@code "PUT /v1/tenant/{tenant_shard_id}/location_config"}. */
  String key() {
    return method + " " + pattern;
  }

  /** The path with each variable replaced by its value (already in wire form). */
  String path(Map<String, String> values) {
    Matcher m = VARIABLE.matcher(pattern);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString().replace("/**", "/timeline");
  }

  @Override
  public String toString() {
    return key();
  }

  static List<FuzzedRoute> of(RequestMappingHandlerMapping mapping) {
    List<FuzzedRoute> routes = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
      HandlerMethod handler = e.getValue();
      if (ErrorController.class.isAssignableFrom(handler.getBeanType())) {
        continue; // the servlet container's error page, not a route
      }
      Body body = Body.NONE;
      List<Query> query = new ArrayList<>();
      for (MethodParameter p : handler.getMethodParameters()) {
        if (p.hasParameterAnnotation(RequestBody.class)) {
          body = Collection.class.isAssignableFrom(p.getParameterType()) ? Body.LIST : Body.OBJECT;
        }
        RequestParam param = p.getParameterAnnotation(RequestParam.class);
        if (param != null) {
          query.add(new Query(param.name(), param.required(), p.getParameterType()));
        }
      }
      for (String pattern : e.getKey().getPathPatternsCondition().getPatternValues()) {
        List<String> variables = new ArrayList<>();
        Matcher m = VARIABLE.matcher(pattern);
        while (m.find()) {
          variables.add(m.group(1));
        }
        for (RequestMethod method : e.getKey().getMethodsCondition().getMethods()) {
          routes.add(
              new FuzzedRoute(
                  method.name(), pattern, List.copyOf(variables), body, List.copyOf(query)));
        }
      }
    }
    routes.sort(Comparator.comparing(FuzzedRoute::key));
    return List.copyOf(routes);
  }
}
