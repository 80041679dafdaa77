package io.storagecontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The planted secrets (the controller's outgoing tokens) appear nowhere: not in the log, not in
 * responses (success, error, debug dumps, metrics), not in the configuration's string form.
 */
class SecretsNotLeakedTest extends AuthTestSupport {
  @Autowired ControllerProperties properties;

  @Test
  void secretsAppearInNoResponseAndNoLogLine() {
    List<Response> responses = new ArrayList<>();
    for (String path :
        List.of(
            "/metrics",
            "/status",
            "/control/v1/node",
            "/control/v1/tenant",
            "/debug/v1/tenant",
            "/debug/v1/scheduler",
            "/debug/v1/tombstone",
            "/control/v1/node/not-a-number",
            "/control/v1/tenant/00000000000000000000000000000000")) {
      responses.add(admin("GET", path, null));
    }
    responses.add(admin("POST", "/debug/v1/consistency_check", ""));
    responses.add(admin("POST", "/control/v1/node", "{\"node_id\":"));
    responses.add(admin("POST", "/v1/tenant", "{}"));
    // A secret sent back to the controller as a token is not echoed either.
    for (String secret : PLANTED.values()) {
      responses.add(call("Bearer " + secret, "GET", "/control/v1/node", null));
      responses.add(call(secret, "GET", "/control/v1/node", null));
    }
    for (Response r : responses) {
      for (String secret : PLANTED.values()) {
        assertThat(r.body()).doesNotContain(secret);
        assertThat(r.raw().headers().map().toString()).doesNotContain(secret);
      }
    }

    String log = ConsoleCapture.text();
    assertThat(log).as("the capture holds the controller's log").contains("auth is on");
    PLANTED.forEach(
        (flag, secret) ->
            assertThat(log).as("the value of %s in the log", flag).doesNotContain(secret));
    // The PEM body of the public key is not logged either (it is not secret, but neither is it
    // interesting).
    String pem = Ed25519Keys.publicPem(KEYS.getPublic());
    assertThat(log).doesNotContain(pem.lines().skip(1).findFirst().orElseThrow());
  }

  @Test
  void propertiesPrintRedacted() {
    String printed = properties.toString();
    PLANTED.values().forEach(secret -> assertThat(printed).doesNotContain(secret));
    assertThat(printed).contains("jwtToken=<set>").contains("publicKey=<set>");
  }
}
