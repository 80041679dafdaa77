package io.storagecontroller.auth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every route the application serves, read from Spring MVC's handler mapping. */
record HandlerRoutes(List<Route> routes) {

  /** One method on one path pattern, as mapped by a handler. */
  record Route(String method, String pattern, String handler) {
    @Override
    public String toString() {
      return method + " " + pattern;
    }
  }

  static HandlerRoutes of(RequestMappingHandlerMapping mapping) {
    List<Route> routes = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
      HandlerMethod handler = e.getValue();
      // The servlet container's error page is an internal dispatch target, not an API route
      // (auth lets ERROR dispatches through; a direct request to it is refused).
      if (ErrorController.class.isAssignableFrom(handler.getBeanType())) {
        continue;
      }
      RequestMappingInfo info = e.getKey();
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      if (methods.isEmpty()) {
        throw new AssertionError(
            handler + " maps every HTTP method; map the methods it serves so auth can scope them");
      }
      for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
        for (RequestMethod method : methods) {
          routes.add(new Route(method.name(), pattern, handler.getShortLogMessage()));
        }
      }
    }
    routes.sort(Comparator.comparing(Route::pattern).thenComparing(Route::method));
    return new HandlerRoutes(List.copyOf(routes));
  }
}
