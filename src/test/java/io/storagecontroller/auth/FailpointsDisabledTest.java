package io.storagecontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.testing.ApiClient.Response;
import org.junit.jupiter.api.Test;

/**
 * A production start (no --dev, no --enable-failpoints) refuses to configure failpoints, to any
 * token, as Neon's builds without failpoints do; the route still needs a valid token.
 */
class FailpointsDisabledTest extends AuthTestSupport {
  static final String EXIT = "[{\"name\":\"reconciler-epilogue\",\"actions\":\"exit\"}]";

  @Test
  void configuringFailpointsIsRefusedWith400() {
    for (Scope scope : new Scope[] {Scope.ADMIN, Scope.GENERATIONS_API}) {
      Response r = call("Bearer " + token(scope), "PUT", "/debug/v1/failpoints", EXIT);
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.msg())
          .isEqualTo(
              "Cannot manage failpoints because storage_controller was started without"
                  + " --enable-failpoints");
    }
  }

  @Test
  void withoutATokenItIs401() {
    assertThat(call(null, "PUT", "/debug/v1/failpoints", EXIT).status()).isEqualTo(401);
  }
}
