package io.storagecontroller.compute;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.ShardCount;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.shard.ShardStore;
import io.storagecontroller.shard.ShardView;
import io.storagecontroller.tls.OutboundTls;
import io.storagecontroller.tls.TlsMaterial;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells the control plane where a tenant's shards are attached (Neon's compute hook, contract 3.6):
 * {@code PUT {control-plane-url}/notify-attach} with the tenant's placement as the intent holds it
 * now. Without a control-plane URL it runs in dev mode and only logs.
 *
 * <p>A notification goes out only once every shard of the tenant's current count has an attached
 * node (nothing mid-split), and not again while the control plane has confirmed that exact body.
 * Failures are retried here with backoff inside {@link ComputeHookSettings#budget()}; what is still
 * undelivered then is the caller's to keep pending (see {@link ComputeNotifications}).
 */
@Component
public class ComputeHook {
  private static final Logger log = LoggerFactory.getLogger(ComputeHook.class);

  /** Neon's backoff warn threshold: the first failed attempts are routine. */
  private static final int WARN_AFTER_ATTEMPTS = 3;

  /** Extra wait for a whole exchange beyond the request timeout, which stops at the headers. */
  private static final long BODY_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private static final int MAX_DETAIL = 200;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The tenant's shards in shard order (the shard store's view). */
  private final Function<TenantId, List<ShardView>> shards;

  private final ComputeHookSettings settings;
  private final ComputeHookMetrics metrics;
  private final HttpClient http;
  // Held across one notification's retries, as Neon holds API_CONCURRENCY. Fair, so a tenant
  // waiting since long is not overtaken indefinitely.
  private final Semaphore inFlight;
  private final Map<TenantId, TenantNotifyState> tenants = new ConcurrentHashMap<>();

  /**
   * Neon's settings for the configured control plane. The three bounds are Spring properties with
   * no command-line flag, so that end-to-end tests of a failing or hanging control plane need not
   * wait a minute per notification.
   */
  @Autowired
  public ComputeHook(
      ShardStore store,
      ControllerProperties properties,
      PrometheusMeterRegistry prometheus,
      @Value("${storage-controller.compute-hook.request-timeout:10s}") Duration requestTimeout,
      @Value("${storage-controller.compute-hook.max-attempts:10}") int maxAttempts,
      @Value("${storage-controller.compute-hook.budget:60s}") Duration budget,
      OutboundTls tls) {
    this(
        store::tenant,
        ComputeHookSettings.neon(properties.controlPlaneUrl(), properties.controlPlaneJwtToken())
            .withLimits(requestTimeout, maxAttempts, budget),
        ComputeHookMetrics.register(prometheus.getPrometheusRegistry()),
        tls.context());
    if (settings.devMode() && !properties.dev()) {
      log.warn("no --control-plane-url: compute notifications are only logged");
    }
  }

  ComputeHook(
      Function<TenantId, List<ShardView>> shards,
      ComputeHookSettings settings,
      ComputeHookMetrics metrics) {
    this(shards, settings, metrics, TlsMaterial.clientContext(null));
  }

  private ComputeHook(
      Function<TenantId, List<ShardView>> shards,
      ComputeHookSettings settings,
      ComputeHookMetrics metrics,
      SSLContext tls) {
    this.shards = shards;
    this.settings = settings;
    this.metrics = metrics;
    this.inFlight = new Semaphore(settings.concurrency(), true);
    this.http =
        settings.devMode()
            ? null
            : HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .build();
    if (!settings.devMode()) {
      log.info("compute notifications go to {}", settings.notifyAttachUrl());
    }
  }

  public ComputeHookSettings settings() {
    return settings;
  }

  public boolean devMode() {
    return settings.devMode();
  }

  /** Notifies unless the control plane already confirmed this exact placement. */
  public NotifyOutcome notify(TenantId tenant) {
    return notify(tenant, false);
  }

  /**
   * Notifies the tenant's placement.
   *
   * @param force send even if identical to the last confirmed body: after a refresh of observed
   *     state, delivery was never confirmed for what the pageservers turned out to hold (Neon
   *     #11342)
   * @throws ComputeHookException when the notification could not be delivered within the budget
   */
  public NotifyOutcome notify(TenantId tenant, boolean force) {
    return notify(tenant, force, PendingRecorder.NONE);
  }

  /** As {@link #notify(TenantId, boolean)}, recording the outcome under the tenant's send lock. */
  NotifyOutcome notify(TenantId tenant, boolean force, PendingRecorder recorder) {
    long deadline = System.nanoTime() + settings.budget().toNanos();
    TenantNotifyState slot = tenants.computeIfAbsent(tenant, t -> new TenantNotifyState());
    lock(slot, tenant, deadline);
    try {
      Optional<NotifyAttachRequest> request = request(tenant);
      if (request.isEmpty()) {
        // Like Neon forgetting a detached shard: whatever placement comes next is sent, even one
        // equal to the last (detached, then attached to the same node again).
        slot.applied = null;
        if (shards.apply(tenant).isEmpty()) {
          tenants.remove(tenant, slot);
        }
        recorder.record(false);
        log.debug("tenant {} has no complete attached placement: nothing to notify", tenant);
        return NotifyOutcome.NOT_READY;
      }
      NotifyAttachRequest body = request.get();
      if (!force && body.equals(slot.applied)) {
        recorder.record(false);
        return NotifyOutcome.UNCHANGED;
      }
      if (settings.devMode()) {
        log.info(
            "compute notification (dev mode, no control-plane URL): {}",
            JSON.writeValueAsString(body));
        slot.delivered(body);
        recorder.record(false);
        return NotifyOutcome.LOGGED;
      }
      try {
        send(body, deadline);
      } catch (RuntimeException e) {
        slot.applied = null;
        recorder.record(true);
        throw e;
      }
      slot.delivered(body);
      recorder.record(false);
      return NotifyOutcome.SENT;
    } finally {
      slot.lock.unlock();
    }
  }

  /**
   * The body that would be sent for the tenant now: empty while a shard of the current count has no
   * attached node, while the tenant is splitting, or when it is unknown.
   */
  public Optional<NotifyAttachRequest> request(TenantId tenant) {
    List<ShardView> shards = this.shards.apply(tenant);
    if (shards.isEmpty()) {
      return Optional.empty();
    }
    // Children of a split have the higher count; leftover parents do not describe the
    // tenant any more.
    ShardCount count =
        shards.stream().map(s -> s.id().shardCount()).max(Comparator.naturalOrder()).orElseThrow();
    ShardView[] byNumber = new ShardView[count.count()];
    for (ShardView shard : shards) {
      if (shard.splitting()) {
        return Optional.empty();
      }
      int number = shard.id().shardNumber().value();
      if (shard.id().shardCount().equals(count) && number < byNumber.length) {
        byNumber[number] = shard;
      }
    }
    List<NotifyAttachShard> entries = new ArrayList<>(byNumber.length);
    for (int number = 0; number < byNumber.length; number++) {
      ShardView shard = byNumber[number];
      if (shard == null || shard.attached() == null) {
        return Optional.empty();
      }
      entries.add(new NotifyAttachShard(shard.attached(), number));
    }
    ShardView zero = byNumber[0];
    Long stripeSize = count.isSharded() ? zero.stripeSize().value() : null;
    return Optional.of(new NotifyAttachRequest(tenant, zero.preferredAz(), stripeSize, entries));
  }

  /** The last notification delivered (or, in dev mode, logged) for the tenant. */
  public Optional<NotifyAttachRequest> lastDelivered(TenantId tenant) {
    TenantNotifyState slot = tenants.get(tenant);
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.lastDelivered);
  }

  /**
   * Forgets a deleted tenant. The hook also forgets a tenant by itself when asked to notify for one
   * that is gone.
   */
  public void forget(TenantId tenant) {
    tenants.remove(tenant);
  }

  private void lock(TenantNotifyState slot, TenantId tenant, long deadline) {
    try {
      if (!slot.lock.tryLock(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new ComputeHookException(
            "an earlier compute notification for tenant " + tenant + " is still in flight",
            true,
            ComputeHookException.NO_STATUS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(e);
    }
  }

  private void send(NotifyAttachRequest body, long deadline) {
    byte[] json = JSON.writeValueAsBytes(body);
    try {
      if (!inFlight.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new ComputeHookException(
            settings.concurrency() + " compute notifications are already in flight",
            true,
            ComputeHookException.NO_STATUS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(e);
    }
    try {
      retry(body, json, deadline);
    } finally {
      inFlight.release();
    }
  }

  private void retry(NotifyAttachRequest body, byte[] json, long deadline) {
    Answer last = null;
    int attempt = 0;
    while (attempt < settings.maxAttempts()) {
      long timeout = Math.min(settings.requestTimeout().toNanos(), remaining(deadline));
      if (timeout <= 0) {
        break;
      }
      attempt++;
      Answer answer = put(json, Duration.ofNanos(timeout));
      last = answer;
      int status = answer.status();
      if (status >= 200 && status < 300) {
        if (status != 200) {
          log.warn("compute hook answered {} (not 200) for tenant {}", status, body.tenantId());
        }
        log.info("compute notified for tenant {}: {}", body.tenantId(), body.shards());
        return;
      }
      Duration wait;
      switch (status) {
        case 423 ->
            // Stored but not applied: Neon does not retry inside the hook; the caller keeps it
            // pending and the sweep sends it again.
            throw new ComputeHookException(
                "control plane tenant " + body.tenantId() + " busy (423): " + answer.detail(),
                true,
                status);
        case 429 -> wait = settings.slowDownWait();
        case 500, 502, 503, 504, ComputeHookException.NO_STATUS -> wait = settings.backoff(attempt);
        case 400, 401, 403, 404 ->
            throw new ComputeHookException(
                "compute hook refused tenant " + body.tenantId() + " (" + answer + ")",
                false,
                status);
        default ->
            throw new ComputeHookException(
                "unexpected compute hook answer for tenant "
                    + body.tenantId()
                    + " ("
                    + answer
                    + ")",
                false,
                status);
      }
      if (attempt >= settings.maxAttempts() || remaining(deadline) <= wait.toNanos()) {
        break; // the exception below tells
      }
      if (attempt < WARN_AFTER_ATTEMPTS) {
        log.info(
            "compute notification attempt {} failed ({}); retrying in {}", attempt, answer, wait);
      } else {
        log.warn(
            "compute notification attempt {} failed ({}); retrying in {}", attempt, answer, wait);
      }
      sleep(wait, deadline);
    }
    throw new ComputeHookException(
        "compute notification for tenant "
            + body.tenantId()
            + " undelivered after "
            + attempt
            + " attempts"
            + (last == null ? "" : " (last: " + last + ")"),
        true,
        last == null ? ComputeHookException.NO_STATUS : last.status());
  }

  /** One PUT, bounded as a whole by {@code timeout} (plus a little for the body). */
  private Answer put(byte[] json, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(settings.notifyAttachUrl())
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(json));
    if (settings.bearerToken() != null) {
      request.header("Authorization", "Bearer " + settings.bearerToken());
    }
    long started = System.nanoTime();
    String label = "error";
    CompletableFuture<HttpResponse<String>> exchange =
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    try {
      HttpResponse<String> response =
          exchange.get(timeout.toNanos() + BODY_GRACE_NANOS, TimeUnit.NANOSECONDS);
      label = Integer.toString(response.statusCode());
      return new Answer(response.statusCode(), abbreviate(response.body()));
    } catch (TimeoutException e) {
      exchange.cancel(true);
      label = "timeout";
      return new Answer(ComputeHookException.NO_STATUS, "no answer within " + timeout);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        label = "timeout";
        return new Answer(ComputeHookException.NO_STATUS, "no answer within " + timeout);
      }
      return new Answer(ComputeHookException.NO_STATUS, cause.toString());
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw interrupted(e);
    } finally {
      metrics.observe(label, (System.nanoTime() - started) / 1e9);
    }
  }

  private static void sleep(Duration wait, long deadline) {
    long nanos = Math.min(wait.toNanos(), remaining(deadline));
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(e);
    }
  }

  private static long remaining(long deadline) {
    return deadline - System.nanoTime();
  }

  private static ComputeHookException interrupted(InterruptedException e) {
    return new ComputeHookException(
        "compute notification interrupted", true, ComputeHookException.NO_STATUS, e);
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    String line = text.strip().replace('\n', ' ');
    return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "...";
  }

  /** A status (or {@link ComputeHookException#NO_STATUS}) and what came with it. */
  private record Answer(int status, String detail) {
    @Override
    public String toString() {
      return (status == ComputeHookException.NO_STATUS ? "no answer" : "status " + status)
          + (detail.isEmpty() ? "" : ": " + detail);
    }
  }
}
