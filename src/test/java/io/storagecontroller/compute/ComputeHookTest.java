package io.storagecontroller.compute;

import static io.storagecontroller.compute.HookFixture.N1;
import static io.storagecontroller.compute.HookFixture.N2;
import static io.storagecontroller.compute.HookFixture.N3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.storagecontroller.model.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The compute hook against a local HTTP receiver standing in for the control plane. */
class ComputeHookTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HookFixture fixture = new HookFixture();
  private final HookReceiver receiver = HookReceiver.start();
  private final ComputeHookMetrics metrics = ComputeHookMetrics.unregistered();
  private ComputeHook hook =
      fixture.hook(HookFixture.fast(receiver.controlPlaneUrl(), null), metrics);

  @AfterEach
  void close() {
    receiver.close();
  }

  private static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  @Test
  void unshardedTenantsSendANullStripeSize() {
    TenantId legacy = fixture.tenant(0, 32768, "az-a", N1);
    TenantId single = fixture.tenant(1, 2048, null, N2);

    assertThat(hook.notify(legacy)).isEqualTo(NotifyOutcome.SENT);
    assertThat(hook.notify(single)).isEqualTo(NotifyOutcome.SENT);

    List<HookReceiver.Received> received = receiver.received();
    assertThat(received).hasSize(2);
    HookReceiver.Received first = received.get(0);
    assertThat(first.method()).isEqualTo("PUT");
    assertThat(first.path()).isEqualTo("/notify-attach");
    assertThat(first.contentType()).isEqualTo("application/json");
    assertThat(first.body())
        .isEqualTo(
            json(
                "{\"tenant_id\":\""
                    + legacy
                    + "\",\"preferred_az\":\"az-a\",\"stripe_size\":null,"
                    + "\"shards\":[{\"node_id\":1,\"shard_number\":0}]}"));
    // Null is written, not omitted (contract 3.6).
    assertThat(received.get(1).body())
        .isEqualTo(
            json(
                "{\"tenant_id\":\""
                    + single
                    + "\",\"preferred_az\":null,\"stripe_size\":null,"
                    + "\"shards\":[{\"node_id\":2,\"shard_number\":0}]}"));
    assertThat(received.get(1).body().has("preferred_az")).isTrue();
    assertThat(received.get(1).body().has("stripe_size")).isTrue();
  }

  @Test
  void shardedTenantsSendTheStripeSizeAndEveryShardInOrder() {
    TenantId tenant = fixture.tenant(4, 2048, "az-b", N2, N1, N3);

    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);

    assertThat(receiver.bodies())
        .containsExactly(
            json(
                "{\"tenant_id\":\""
                    + tenant
                    + "\",\"preferred_az\":\"az-b\",\"stripe_size\":2048,\"shards\":["
                    + "{\"node_id\":2,\"shard_number\":0},{\"node_id\":1,\"shard_number\":1},"
                    + "{\"node_id\":3,\"shard_number\":2},{\"node_id\":2,\"shard_number\":3}]}"));
    assertThat(hook.lastDelivered(tenant).orElseThrow().stripeSize()).isEqualTo(2048L);
  }

  @Test
  void nothingIsSentUntilEveryShardIsAttached() {
    TenantId tenant = fixture.tenant(2, 2048, "az-a", N1, null);

    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.NOT_READY);
    assertThat(hook.notify(TenantId.generate())).isEqualTo(NotifyOutcome.NOT_READY);
    assertThat(receiver.received()).isEmpty();

    fixture.attachAll(tenant, N2);
    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void theControlPlaneTokenIsSentAsABearerToken() {
    hook = fixture.hook(HookFixture.fast(receiver.controlPlaneUrl(), "cp-token"), metrics);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);

    hook.notify(tenant);

    assertThat(receiver.received().get(0).authorization()).isEqualTo("Bearer cp-token");
  }

  @Test
  void noAuthorizationHeaderWithoutAToken() {
    hook.notify(fixture.tenant(1, 2048, "az-a", N1));

    assertThat(receiver.received().get(0).authorization()).isNull();
  }

  @Test
  void unavailableAnswersAreRetriedUntilTheyPass() {
    receiver.respond(500, 503);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);

    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);

    assertThat(receiver.received()).hasSize(3);
    assertThat(metrics.requests("500")).isEqualTo(1);
    assertThat(metrics.requests("503")).isEqualTo(1);
    assertThat(metrics.requests("200")).isEqualTo(1);
  }

  @Test
  void tooManyRequestsWaitsThenRetries() {
    receiver.respond(429);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);

    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);
    assertThat(receiver.received()).hasSize(2);
  }

  @Test
  void aControlPlaneThatStaysDownIsGivenUpOnAfterTheLastAttempt() {
    receiver.alwaysRespond(503);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);

    assertThatThrownBy(() -> hook.notify(tenant))
        .isInstanceOfSatisfying(
            ComputeHookException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.status()).isEqualTo(503);
            });
    assertThat(receiver.received()).hasSize(4);
  }

  @Test
  void notFoundIsFatalAndNotRetried() {
    receiver.alwaysRespond(404);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);
    long started = System.nanoTime();

    assertThatThrownBy(() -> hook.notify(tenant))
        .isInstanceOfSatisfying(
            ComputeHookException.class,
            e -> {
              assertThat(e.retryable()).isFalse();
              assertThat(e.status()).isEqualTo(404);
            });
    assertThat(receiver.received()).hasSize(1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void refusalsAreFatal() {
    receiver.respond(401);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);

    assertThatThrownBy(() -> hook.notify(tenant))
        .isInstanceOfSatisfying(
            ComputeHookException.class, e -> assertThat(e.retryable()).isFalse());
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void aHangingControlPlaneIsBoundedByTheTimeouts() {
    receiver.hang();
    ComputeHookSettings fast = HookFixture.fast(receiver.controlPlaneUrl(), null);
    // 300 ms per call, 3 attempts, and at most 2 s in all.
    hook =
        fixture.hook(
            new ComputeHookSettings(
                fast.notifyAttachUrl(),
                null,
                Duration.ofMillis(300),
                3,
                fast.firstBackoff(),
                fast.backoffFactor(),
                fast.maxBackoff(),
                fast.slowDownWait(),
                Duration.ofSeconds(2),
                fast.concurrency()),
            metrics);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);
    long started = System.nanoTime();

    assertThatThrownBy(() -> hook.notify(tenant))
        .isInstanceOfSatisfying(
            ComputeHookException.class, e -> assertThat(e.retryable()).isTrue());

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isBetween(Duration.ofMillis(800), Duration.ofSeconds(3));
    // Counted by the client: the receiver may not even have seen a late one.
    assertThat(receiver.received().size()).isLessThanOrEqualTo(3);
    assertThat(metrics.requests("timeout")).isEqualTo(3);
  }

  @Test
  void theBudgetBoundsAWholeNotification() {
    receiver.hang();
    ComputeHookSettings fast = HookFixture.fast(receiver.controlPlaneUrl(), null);
    hook =
        fixture.hook(
            new ComputeHookSettings(
                fast.notifyAttachUrl(),
                null,
                Duration.ofSeconds(10),
                10,
                fast.firstBackoff(),
                fast.backoffFactor(),
                fast.maxBackoff(),
                fast.slowDownWait(),
                Duration.ofMillis(700),
                fast.concurrency()),
            metrics);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);
    long started = System.nanoTime();

    assertThatThrownBy(() -> hook.notify(tenant)).isInstanceOf(ComputeHookException.class);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void anIdenticalConfirmedNotificationIsNotSentAgainUnlessForced() {
    TenantId tenant = fixture.tenant(2, 2048, "az-a", N1, N2);

    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);
    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.UNCHANGED);
    assertThat(receiver.received()).hasSize(1);

    // After a refresh of observed state delivery was never confirmed: force sends anyway.
    assertThat(hook.notify(tenant, true)).isEqualTo(NotifyOutcome.SENT);
    assertThat(receiver.received()).hasSize(2);

    fixture.attachAll(tenant, N3);
    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);
    assertThat(receiver.received()).hasSize(3);
  }

  @Test
  void aMoveBackAfterAFailedNotificationIsStillSent() {
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);
    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);

    // A to B: the control plane may have applied B even though the call failed.
    fixture.attachAll(tenant, N2);
    receiver.alwaysRespond(503);
    assertThatThrownBy(() -> hook.notify(tenant)).isInstanceOf(ComputeHookException.class);

    // B to A: A was the last confirmed body, yet it must be sent (Neon #9435).
    fixture.attachAll(tenant, N1);
    receiver.alwaysRespond(200);
    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);

    List<JsonNode> bodies = receiver.bodies();
    JsonNode last = bodies.get(bodies.size() - 1);
    assertThat(last.path("shards").path(0).path("node_id").asLong()).isEqualTo(1);
    assertThat(bodies.get(0)).isEqualTo(last);
  }

  @Test
  void aBusyControlPlaneIsNotRetriedButTheNextIdenticalNotificationIsSent() {
    receiver.respond(423);
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);

    assertThatThrownBy(() -> hook.notify(tenant))
        .isInstanceOfSatisfying(
            ComputeHookException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.status()).isEqualTo(423);
            });
    assertThat(receiver.received()).hasSize(1);

    // Stored but not applied: the same body goes out again.
    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);
    assertThat(receiver.received()).hasSize(2);
  }

  @Test
  void aTenantDetachedThenAttachedToTheSameNodeIsNotifiedAgain() {
    TenantId tenant = fixture.tenant(1, 2048, "az-a", N1);
    hook.notify(tenant);

    fixture.attachAll(tenant, null);
    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.NOT_READY);
    fixture.attachAll(tenant, N1);

    assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.SENT);
    assertThat(receiver.received()).hasSize(2);
  }

  @Test
  void concurrentNotificationsAreBoundedAcrossTenants() throws Exception {
    receiver.delay(100);
    ComputeHookSettings fast = HookFixture.fast(receiver.controlPlaneUrl(), null);
    hook =
        fixture.hook(
            new ComputeHookSettings(
                fast.notifyAttachUrl(),
                null,
                fast.requestTimeout(),
                fast.maxAttempts(),
                fast.firstBackoff(),
                fast.backoffFactor(),
                fast.maxBackoff(),
                fast.slowDownWait(),
                fast.budget(),
                2),
            metrics);
    List<TenantId> tenants = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tenants.add(fixture.tenant(1, 2048, "az-a", N1));
    }
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<NotifyOutcome>> sends = new ArrayList<>();
      for (TenantId tenant : tenants) {
        sends.add(pool.submit(() -> hook.notify(tenant)));
      }
      for (Future<NotifyOutcome> send : sends) {
        assertThat(send.get()).isEqualTo(NotifyOutcome.SENT);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(receiver.received()).hasSize(6);
    assertThat(receiver.maxInFlight()).isBetween(1, 2);
  }

  @Test
  void withoutAControlPlaneUrlNotificationsAreLoggedAndRemembered() {
    hook = fixture.hook(HookFixture.fast(null, null), metrics);
    Logger logger = (Logger) LoggerFactory.getLogger(ComputeHook.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      TenantId tenant = fixture.tenant(2, 2048, "az-a", N1, N2);

      assertThat(hook.devMode()).isTrue();
      assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.LOGGED);
      assertThat(hook.notify(tenant)).isEqualTo(NotifyOutcome.UNCHANGED);
      assertThat(hook.notify(tenant, true)).isEqualTo(NotifyOutcome.LOGGED);

      assertThat(hook.lastDelivered(tenant)).contains(hook.request(tenant).orElseThrow());
      List<ILoggingEvent> logged =
          logs.list.stream()
              .filter(e -> e.getLevel() == Level.INFO)
              .filter(e -> e.getFormattedMessage().contains(tenant.toString()))
              .toList();
      assertThat(logged).hasSize(2);
      assertThat(logged.get(0).getFormattedMessage()).contains("\"stripe_size\":2048");
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void theNotifyAttachUrlIsThePrefixWithoutTrailingSlashes() {
    assertThat(ComputeHookSettings.notifyAttachUrl("http://cp:1234/api/"))
        .hasToString("http://cp:1234/api/notify-attach");
    assertThat(ComputeHookSettings.notifyAttachUrl("http://cp:1234"))
        .hasToString("http://cp:1234/notify-attach");
    // The old --compute-hook-url named the hook itself.
    assertThat(ComputeHookSettings.notifyAttachUrl("http://cp:1234/notify-attach"))
        .hasToString("http://cp:1234/notify-attach");
    assertThat(ComputeHookSettings.notifyAttachUrl(" ")).isNull();
    assertThat(ComputeHookSettings.neon(null, "t").devMode()).isTrue();
  }

  @Test
  void neonBackoffGrowsToItsCap() {
    ComputeHookSettings neon = ComputeHookSettings.neon("http://cp", null);
    assertThat(neon.backoff(1)).isEqualTo(Duration.ofMillis(1100));
    assertThat(neon.backoff(2)).isEqualTo(Duration.ofMillis(1210));
    assertThat(neon.backoff(20)).isEqualTo(Duration.ofSeconds(3));
  }
}
