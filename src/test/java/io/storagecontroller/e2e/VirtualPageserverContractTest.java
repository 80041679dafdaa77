package io.storagecontroller.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import io.storagecontroller.testing.PageserverSpec;
import io.storagecontroller.testing.RecordingProxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The controller's {@code /v1} routes are the pageserver API seen by the control plane: requests
 * and answers on the routes the pageserver spec covers must validate against it.
 */
class VirtualPageserverContractTest extends FleetTest {
  /**
   * Where Neon's storage controller itself answers differently from a pageserver (neon-api.md 2.3),
   * the controller's contract wins: config PUT answers {@code null}; timeline create adds {@code
   * "safekeepers": null}; timeline delete answers 200 once done; time travel takes {@code
   * {"shard_counts": [...]}} and answers {@code null}.
   */
  static final List<Pattern> STORAGE_CONTROLLER_DIFFERENCES =
      List.of(
          Pattern.compile("^PUT /v1/tenant/config -> 200: validation.response.body.schema.type"),
          Pattern.compile("^POST /v1/tenant/\\w+/timeline -> 201: .*\\[Path '/safekeepers'\\]"),
          Pattern.compile(
              "^DELETE /v1/tenant/\\w+/timeline/\\w+ -> 200: validation.response.status.unknown"),
          Pattern.compile(
              "^PUT /v1/tenant/\\w+/time_travel_remote_storage -> 200: "
                  + "(validation.request.body.unexpected|validation.response.body.schema.type)"));

  @Test
  void v1ExchangesMatchThePageserverSpec() {
    try (RecordingProxy proxy = new RecordingProxy(URI.create(baseUrl()))) {
      ApiClient v1 = new ApiClient(proxy.url());
      TenantId tenant = TenantId.generate();
      String locationConfig = "/v1/tenant/" + tenant + "/location_config";
      v1.put(
          locationConfig,
          "{\"mode\":\"Secondary\",\"secondary_conf\":{\"warm\":true},\"tenant_conf\":{}}");
      v1.put(locationConfig, "{\"mode\":\"AttachedSingle\",\"generation\":3,\"tenant_conf\":{}}");
      v1.put("/v1/tenant/config", "{\"tenant_id\":\"%s\",\"gc_period\":\"1h\"}".formatted(tenant));
      v1.get("/v1/tenant/" + tenant + "/config");
      TimelineId timeline = TimelineId.generate();
      v1.post(
          "/v1/tenant/" + tenant + "/timeline",
          "{\"new_timeline_id\":\"%s\",\"pg_version\":16}".formatted(timeline));
      v1.get("/v1/tenant/" + tenant);
      v1.get("/v1/tenant/" + tenant + "/timeline");
      v1.get("/v1/tenant/" + tenant + "/timeline/" + timeline);
      v1.post("/v1/tenant/" + tenant + "/secondary/download?wait_ms=100", "");
      v1.delete("/v1/tenant/" + tenant + "/timeline/" + timeline);
      v1.put(locationConfig, "{\"mode\":\"Detached\",\"tenant_conf\":{}}");
      ControllerProcess.await(
          DEADLINE,
          () ->
              v1.put(
                          "/v1/tenant/"
                              + tenant
                              + "/time_travel_remote_storage?travel_to=2024-01-01T00:00:00Z&done_if_after=2024-01-01T00:00:01Z",
                          "{\"shard_counts\":[0]}")
                      .status()
                  == 200,
          "time travel once detached");

      List<String> problems = new ArrayList<>();
      for (RecordingProxy.Exchange e : proxy.exchanges()) {
        assertThat(e.status())
            .as(e.method() + " " + e.path() + ": " + e.responseBody())
            .isLessThan(500);
        PageserverSpec.problems(e).stream()
            .filter(
                p -> STORAGE_CONTROLLER_DIFFERENCES.stream().noneMatch(d -> d.matcher(p).find()))
            .forEach(problems::add);
      }
      assertThat(problems).isEmpty();
    }
    assertConsistent();
  }
}
