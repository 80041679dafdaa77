package io.storagecontroller.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code --tenant-rate-limit} (10 per second here, the default): a tenant's burst beyond it waits
 * for its turn, a flood is refused with 429, and other tenants are not held up.
 */
class TenantRateLimitTest extends ControllerTest {
  private static final long MS = 1_000_000;

  @Test
  void aBurstWaitsForItsTurnAndAFloodIsRefused() {
    AtomicLong now = new AtomicLong(1_000 * MS);
    TenantRateLimit limit =
        new TenantRateLimit(10, Duration.ofSeconds(2), now::get, new PrometheusRegistry());
    TenantId tenant = TenantId.generate();
    for (int i = 0; i < 10; i++) {
      assertThat(limit.reserve(tenant)).as("request %d of the burst", i).isZero();
    }
    assertThat(limit.reserve(tenant)).isEqualTo(100 * MS);
    assertThat(limit.reserve(tenant)).isEqualTo(200 * MS);
    // Another tenant has its own budget.
    assertThat(limit.reserve(TenantId.generate())).isZero();
    for (int i = 3; i <= 20; i++) {
      assertThat(limit.reserve(tenant)).isEqualTo(i * 100 * MS);
    }
    assertThatThrownBy(() -> limit.reserve(tenant))
        .isInstanceOf(ApiError.class)
        .hasMessageContaining("Too many requests for tenant " + tenant);
    // Time passes: the tenant's turns come back at the rate.
    now.addAndGet(2_100 * MS);
    assertThat(limit.reserve(tenant)).isZero();
    // Idle tenants are forgotten after a while.
    now.addAndGet(60_000 * MS);
    limit.reserve(TenantId.generate());
    assertThat(limit.tracked()).isEqualTo(1);
  }

  @Test
  void overHttpAFloodGets429AndAnotherTenantIsAnsweredAtOnce() {
    TenantId flooded = TenantId.generate();
    ExecutorService clients = Executors.newFixedThreadPool(60);
    List<Response> answers;
    Response other;
    try {
      List<CompletableFuture<Response>> flood =
          IntStream.range(0, 60)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () -> api.get("/v1/tenant/" + flooded + "/config"), clients))
              .toList();
      other = api.get("/v1/tenant/" + TenantId.generate() + "/config");
      answers = flood.stream().map(CompletableFuture::join).toList();
    } finally {
      clients.shutdownNow();
    }
    assertThat(other.status()).isEqualTo(404);
    assertThat(answers).extracting(Response::status).containsOnly(404, 429);
    assertThat(answers.stream().filter(r -> r.status() == 404).count()).isBetween(10L, 40L);
    Response refused = answers.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
    assertThat(refused.json().get("msg").asString())
        .contains("Too many requests for tenant " + flooded);
  }
}
