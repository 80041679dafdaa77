package io.storagecontroller.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerTest;
import io.storagecontroller.testing.Ids;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

class NodeApiTest extends ControllerTest {
  @Autowired JdbcClient jdbc;
  @Autowired NodeService nodeService;

  static String registration(long id, String httpAddr, int httpPort, String az) {
    return """
        {"node_id":%d,"listen_pg_addr":"%s","listen_pg_port":64000,"listen_http_addr":"%s",
         "listen_http_port":%d,"listen_https_port":null,"availability_zone_id":"%s"}"""
        .formatted(id, httpAddr, httpAddr, httpPort, az);
  }

  @Test
  void registerThenDescribe() {
    long id = Ids.nodeId();
    Response r = api.post("/control/v1/node", registration(id, "127.0.0.1", 9898, "az-a"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("null");

    JsonNode node = api.get("/control/v1/node/" + id).json();
    assertThat(node.get("id").asLong()).isEqualTo(id);
    assertThat(node.get("availability").asString()).isEqualTo("Offline");
    assertThat(node.get("scheduling").asString()).isEqualTo("Active");
    assertThat(node.get("availability_zone_id").asString()).isEqualTo("az-a");
    assertThat(node.get("listen_http_port").asInt()).isEqualTo(9898);
    assertThat(node.has("listen_https_port")).isTrue();
    assertThat(node.get("listen_https_port").isNull()).isTrue();
    assertThat(node.get("listen_grpc_addr").isNull()).isTrue();
  }

  @Test
  void sameRegistrationTwiceIsANoOp() {
    long id = Ids.nodeId();
    String body = registration(id, "127.0.0.1", 9898, "az-a");
    assertThat(api.post("/control/v1/node", body).status()).isEqualTo(200);
    assertThat(api.post("/control/v1/node", body).status()).isEqualTo(200);
    Integer rows =
        jdbc.sql("SELECT count(*) FROM nodes WHERE node_id = ?")
            .param(id)
            .query(Integer.class)
            .single();
    assertThat(rows).isEqualTo(1);
  }

  @Test
  void differentAddressForTheSameIdIsAConflict() {
    long id = Ids.nodeId();
    api.post("/control/v1/node", registration(id, "127.0.0.1", 9898, "az-a"));
    Response r = api.post("/control/v1/node", registration(id, "127.0.0.1", 9899, "az-a"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.msg()).isEqualTo("Conflict: Node is already registered with different address");
    assertThat(api.get("/control/v1/node/" + id).json().get("listen_http_port").asInt())
        .isEqualTo(9898);
  }

  @Test
  void changedHttpsPortIsUpdatedNotRefused() {
    long id = Ids.nodeId();
    api.post("/control/v1/node", registration(id, "127.0.0.1", 9898, "az-a"));
    String withHttps =
        registration(id, "127.0.0.1", 9898, "az-a")
            .replace("\"listen_https_port\":null", "\"listen_https_port\":9899");
    assertThat(api.post("/control/v1/node", withHttps).status()).isEqualTo(200);
    assertThat(api.get("/control/v1/node/" + id).json().get("listen_https_port").asInt())
        .isEqualTo(9899);
    Integer stored =
        jdbc.sql("SELECT listen_https_port FROM nodes WHERE node_id = ?")
            .param(id)
            .query(Integer.class)
            .single();
    assertThat(stored).isEqualTo(9899);
  }

  @Test
  void tombstonedIdCannotRegisterAgain() {
    long id = Ids.nodeId();
    api.post("/control/v1/node", registration(id, "127.0.0.1", 9898, "az-a"));
    jdbc.sql("UPDATE nodes SET lifecycle = 'deleted' WHERE node_id = ?").param(id).update();
    Response r = api.post("/control/v1/node", registration(id, "127.0.0.1", 9898, "az-a"));
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.msg()).contains("tombstoned");
    nodeService.load(); // memory follows the database again, as after a restart
  }

  @Test
  void unresolvableHttpAddressIsUnavailable() {
    long id = Ids.nodeId();
    Response r =
        api.post("/control/v1/node", registration(id, "no-such-host.invalid", 9898, "az-a"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.msg()).contains("does not resolve");
    assertThat(api.get("/control/v1/node/" + id).status()).isEqualTo(404);
  }

  @Test
  void listIsSortedById() {
    long high = Ids.nodeId() + 500;
    long low = Ids.nodeId();
    api.post("/control/v1/node", registration(high, "127.0.0.1", 1, "az-b"));
    api.post("/control/v1/node", registration(low, "127.0.0.1", 2, "az-a"));
    List<Long> ids = new ArrayList<>();
    api.get("/control/v1/node").json().forEach(n -> ids.add(n.get("id").asLong()));
    assertThat(ids).contains(low, high).isSorted();
  }

  @Test
  void unknownNodeIs404() {
    Response r = api.get("/control/v1/node/987654321");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.msg()).isEqualTo("NotFound: Node 987654321 not registered");
  }

  @Test
  void configurePersistsSchedulingAndKeepsAvailabilityInMemory() {
    long id = Ids.nodeId();
    api.post("/control/v1/node", registration(id, "127.0.0.1", 9898, "az-a"));
    Response r =
        api.put(
            "/control/v1/node/" + id + "/config",
            "{\"node_id\":%d,\"availability\":\"Active\",\"scheduling\":\"Pause\"}".formatted(id));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("null");

    JsonNode node = api.get("/control/v1/node/" + id).json();
    assertThat(node.get("scheduling").asString()).isEqualTo("Pause");
    assertThat(node.get("availability").asString()).isEqualTo("Active");
    String stored =
        jdbc.sql("SELECT scheduling_policy FROM nodes WHERE node_id = ?")
            .param(id)
            .query(String.class)
            .single();
    assertThat(stored).isEqualTo("pause");

    // A reload from the database (what a restart does) keeps the policy; availability starts
    // Offline.
    nodeService.load();
    JsonNode reloaded = api.get("/control/v1/node/" + id).json();
    assertThat(reloaded.get("scheduling").asString()).isEqualTo("Pause");
    assertThat(reloaded.get("availability").asString()).isEqualTo("Offline");
  }

  @Test
  void configureWithNullsChangesNothing() {
    long id = Ids.nodeId();
    api.post("/control/v1/node", registration(id, "127.0.0.1", 9898, "az-a"));
    Response r =
        api.put(
            "/control/v1/node/" + id + "/config",
            "{\"node_id\":%d,\"availability\":null,\"scheduling\":null}".formatted(id));
    assertThat(r.status()).isEqualTo(200);
    assertThat(api.get("/control/v1/node/" + id).json().get("scheduling").asString())
        .isEqualTo("Active");
  }

  @Test
  void configureUnknownNodeIs404() {
    Response r =
        api.put(
            "/control/v1/node/987654322/config",
            "{\"node_id\":987654322,\"scheduling\":\"Pause\"}");
    assertThat(r.status()).isEqualTo(404);
  }
}
