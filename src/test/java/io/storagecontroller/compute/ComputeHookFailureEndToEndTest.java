package io.storagecontroller.compute;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.testing.FleetTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A control plane whose hook fails (500, 404, hanging) never fails the API call; the notification
 * stays pending on the tenant and is delivered once the hook recovers. Its own application context,
 * configured with the hook receiver as the control plane.
 */
class ComputeHookFailureEndToEndTest extends FleetTest {
  static final HookReceiver HOOK = HookReceiver.start();

  @DynamicPropertySource
  static void hook(DynamicPropertyRegistry registry) {
    registry.add("storage-controller.control-plane-url", HOOK::controlPlaneUrl);
    registry.add("storage-controller.compute-hook.request-timeout", () -> "500ms");
    registry.add("storage-controller.compute-hook.max-attempts", () -> "3");
    registry.add("storage-controller.compute-hook.budget", () -> "3s");
  }

  @AfterAll
  static void closeHook() {
    HOOK.close();
  }

  boolean pending(TenantId tenant) {
    JsonNode shards = api.get("/control/v1/tenant/" + tenant).json().get("shards");
    boolean any = false;
    for (JsonNode s : shards) {
      any |= s.get("is_pending_compute_notification").asBoolean();
    }
    return any;
  }

  void failThenRecover(Runnable failure, Runnable recovery) {
    failure.run();
    TenantId tenant = TenantId.generate();
    Response created = create(tenant, 2, 0);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    ControllerProcess.await(DEADLINE, () -> pending(tenant), "notification pending");

    recovery.run();
    ControllerProcess.await(
        DEADLINE,
        () -> {
          api.post("/debug/v1/reconcile_all", "");
          return !pending(tenant);
        },
        "pending notification delivered");
    assertThat(HOOK.bodies())
        .anySatisfy(
            body -> {
              assertThat(body.get("tenant_id").asString()).isEqualTo(tenant.toString());
              assertThat(body.get("shards")).hasSize(2);
              assertThat(body.get("stripe_size").asLong()).isEqualTo(2048);
            });
    assertConsistent();
  }

  @Test
  void hookAnswering500() {
    failThenRecover(() -> HOOK.alwaysRespond(500), () -> HOOK.alwaysRespond(200));
  }

  @Test
  void hookAnswering404() {
    failThenRecover(() -> HOOK.alwaysRespond(404), () -> HOOK.alwaysRespond(200));
  }

  @Test
  void hookHanging() {
    failThenRecover(
        HOOK::hang,
        () -> {
          HOOK.stopHanging();
          HOOK.alwaysRespond(200);
        });
  }
}
