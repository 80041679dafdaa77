package io.storagecontroller.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/** The served OpenAPI description covers every route the controller maps. */
class ApiDocumentationTest extends ControllerTest {
  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  /** {@code /a/{x}/b} and {@code /a/{y}/b} are one path. */
  static String normalized(String pattern) {
    return pattern.replaceAll("\\{\\*[^}]*}", "**").replaceAll("\\{[^}]*}", "{}");
  }

  @Test
  void everyMappedRouteIsDescribed() {
    Response served = api.get(ApiDocumentation.JSON_PATH);
    assertThat(served.status()).isEqualTo(200);
    JsonNode doc = served.json();
    assertThat(doc.get("openapi").asString()).startsWith("3.");
    assertThat(doc.at("/info/title").asString()).isEqualTo("storage_controller");
    List<String> described = new ArrayList<>();
    doc.get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .propertyNames()
                    .forEach(
                        m ->
                            described.add(
                                m.toUpperCase(Locale.ROOT) + " " + normalized(path.getKey()))));
    List<String> missing = new ArrayList<>();
    int routes = 0;
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : mapping.getHandlerMethods().entrySet()) {
      if (ErrorController.class.isAssignableFrom(e.getValue().getBeanType())
          || e.getValue().getBeanType().getName().startsWith("org.springdoc")) {
        continue;
      }
      for (String pattern : e.getKey().getPathPatternsCondition().getPatternValues()) {
        for (RequestMethod method : e.getKey().getMethodsCondition().getMethods()) {
          routes++;
          String route = method.name() + " " + normalized(pattern);
          if (!described.contains(route)) {
            missing.add(route);
          }
        }
      }
    }
    assertThat(routes).isGreaterThan(30);
    assertThat(missing).as("routes missing from %s", ApiDocumentation.JSON_PATH).isEmpty();
  }

  @Test
  void schemasUseTheApisSnakeCase() {
    JsonNode schemas = api.get(ApiDocumentation.JSON_PATH).json().at("/components/schemas");
    List<String> properties = new ArrayList<>();
    schemas.forEach(s -> s.path("properties").propertyNames().forEach(properties::add));
    assertThat(properties).contains("listen_http_port", "availability_zone_id", "node_id");
    assertThat(properties).noneMatch(p -> p.matches(".*[a-z][A-Z].*"));
  }

  @Test
  void theYamlFormIsServedToo() {
    Response yaml = api.get(ApiDocumentation.YAML_PATH);
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.body()).contains("openapi: 3.", "/control/v1/operations");
  }
}
