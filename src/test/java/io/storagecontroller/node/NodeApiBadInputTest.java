package io.storagecontroller.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerTest;
import io.storagecontroller.testing.Ids;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Every malformed request is a 4xx with {"msg"} naming the problem, and changes nothing. */
class NodeApiBadInputTest extends ControllerTest {
  @Autowired JdbcClient jdbc;

  private int nodeRows() {
    return jdbc.sql("SELECT count(*) FROM nodes").query(Integer.class).single();
  }

  private void assertRefused(Response r, int status, String msgFragment) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.msg()).contains(msgFragment);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{                                                  | Failed to parse json request",
        "[1,2]                                              | Failed to parse json request",
        "{\"node_id\":1} trailing                           | Failed to parse json request",
        "{\"node_id\":\"7\"}                                | node_id",
        "{\"node_id\":-5}                                   | must not be negative",
        "{\"node_id\":1.5}                                  | node_id",
        "{\"node_id\":99999999999999999999999}              | node_id",
        "{}                                                 | missing field `node_id`",
        "{\"node_id\":1}                                    | missing field `listen_http_addr`",
        "{\"node_id\":1,\"listen_http_addr\":\"h\"}         | missing field `listen_http_port`",
      })
  void malformedRegistrationIs400(String body, String msg) {
    int before = nodeRows();
    assertRefused(api.post("/control/v1/node", body), 400, msg);
    assertThat(nodeRows()).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 65536, -1})
  void portOutOfRangeIs400(int port) {
    long id = Ids.nodeId();
    String body = NodeApiTest.registration(id, "127.0.0.1", 9898, "az").replace("9898", "" + port);
    assertRefused(api.post("/control/v1/node", body), 400, "listen_http_port");
  }

  @org.junit.jupiter.api.Test
  void grpcAddressWithoutPortIs400() {
    long id = Ids.nodeId();
    String body =
        NodeApiTest.registration(id, "127.0.0.1", 9898, "az")
            .replace("\"listen_https_port\":null", "\"listen_grpc_addr\":\"127.0.0.1\"");
    assertRefused(api.post("/control/v1/node", body), 400, "listen_grpc_port");
  }

  @org.junit.jupiter.api.Test
  void emptyBodyIs400() {
    assertRefused(
        api.send("POST", "/control/v1/node", null, Map.of("Content-Type", "application/json")),
        400,
        "missing request body");
    assertRefused(
        api.send("POST", "/control/v1/node", "", Map.of("Content-Type", "application/json")),
        400,
        "missing request body");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "1.0", "99999999999999999999", "%20"})
  void badNodeIdInPathIs400(String id) {
    assertRefused(api.get("/control/v1/node/" + id), 400, "node_id");
  }

  @org.junit.jupiter.api.Test
  void pathAndBodyIdMismatchIs400() {
    long id = Ids.nodeId();
    api.post("/control/v1/node", NodeApiTest.registration(id, "127.0.0.1", 9898, "az"));
    assertRefused(
        api.put("/control/v1/node/" + id + "/config", "{\"node_id\":" + (id + 1) + "}"),
        400,
        "Path and body node_id differ");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"node_id\":%d,\"scheduling\":\"Sleeping\"}     | unknown node scheduling policy 'Sleeping'",
        "{\"node_id\":%d,\"availability\":\"Up\"}         | Up",
        "{\"node_id\":%d,\"scheduling\":7}                | scheduling",
      })
  void unknownEnumValuesAre400(String template, String msg) {
    long id = Ids.nodeId();
    api.post("/control/v1/node", NodeApiTest.registration(id, "127.0.0.1", 9898, "az"));
    assertRefused(api.put("/control/v1/node/" + id + "/config", template.formatted(id)), 400, msg);
    assertThat(api.get("/control/v1/node/" + id).json().get("scheduling").asString())
        .isEqualTo("Active");
  }

  @org.junit.jupiter.api.Test
  void unknownRouteIs404AndWrongMethodIs405() {
    assertRefused(
        api.get("/control/v1/nodes"), 404, "NotFound: no route for GET /control/v1/nodes");
    assertRefused(api.delete("/control/v1/node"), 405, "DELETE");
  }

  @org.junit.jupiter.api.Test
  void nonJsonContentTypeIs415() {
    assertRefused(
        api.send("POST", "/control/v1/node", "node_id=1", Map.of("Content-Type", "text/html")),
        415,
        "application/json");
  }
}
