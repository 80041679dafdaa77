package io.storagecontroller.compute;

import io.storagecontroller.model.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends compute notifications so that none is lost: a notification the hook could not deliver
 * leaves the tenant's {@code pending_compute_notification} flag set (shown by tenant describe as
 * {@code is_pending_compute_notification}), and the reconcile sweep sends it again; a delivered
 * one, or a tenant with nothing to say, clears it. Never throws: the control plane being down must
 * not fail reconciles or API calls (Neon #6668).
 *
 * <p>Background sends (sweep, start-up) run on a pool as wide as the hook's concurrency, and a
 * tenant already queued is not queued twice, so an unreachable control plane cannot pile up work.
 */
@Component
public class ComputeNotifications implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(ComputeNotifications.class);

  private final ComputeHook hook;
  private final ThreadPoolExecutor background;
  private final Set<TenantId> queued = ConcurrentHashMap.newKeySet();

  /**
   * Tenants owed a notification. Memory only, as in Neon: after a restart every attached tenant is
   * notified anyway. A deleted tenant leaves it at its next attempt (nothing to send).
   */
  private final NavigableSet<TenantId> pending = new ConcurrentSkipListSet<>();

  public ComputeNotifications(ComputeHook hook) {
    this.hook = hook;
    int threads = hook.settings().concurrency();
    AtomicInteger names = new AtomicInteger();
    this.background =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "compute-notify-" + names.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // Idle most of the time: no threads are kept between sweeps.
    background.allowCoreThreadTimeOut(true);
  }

  public ComputeHook hook() {
    return hook;
  }

  /** As {@link #notifyOrMarkPending(TenantId, boolean)} without forcing. */
  public boolean notifyOrMarkPending(TenantId tenant) {
    return notifyOrMarkPending(tenant, false);
  }

  /**
   * Notifies now, in the caller's thread, bounded by the hook's budget.
   *
   * @param force send even an unchanged placement (after observed state was refreshed)
   * @return true when nothing is owed any more (sent, unchanged or nothing to send); false when the
   *     notification was left pending
   */
  public boolean notifyOrMarkPending(TenantId tenant, boolean force) {
    try {
      hook.notify(tenant, force, owed -> setPending(tenant, owed));
      return true;
    } catch (ComputeHookException e) {
      // Also set here: a send that never got the tenant's lock recorded nothing. Setting it again
      // is harmless; at worst the sweep finds the placement unchanged and clears it.
      setPending(tenant, true);
      if (e.status() == 404) {
        // Expected right after creation: the control plane stores a tenant once creation returns.
        log.info("compute hook does not know tenant {} yet; left pending", tenant);
      } else {
        log.warn("compute notification for tenant {} left pending: {}", tenant, e.getMessage());
      }
      return false;
    } catch (RuntimeException e) {
      setPending(tenant, true);
      log.error("compute notification for tenant {} failed; left pending", tenant, e);
      return false;
    }
  }

  /** Whether the tenant is owed a compute notification. */
  public boolean isPending(TenantId tenant) {
    return pending.contains(tenant);
  }

  /** Records that the tenant is owed a notification (the sweep sends it). */
  void markPending(TenantId tenant) {
    pending.add(tenant);
  }

  private void setPending(TenantId tenant, boolean owed) {
    if (owed) {
      pending.add(tenant);
    } else {
      pending.remove(tenant);
    }
  }

  /** Tenants with a pending notification, in id order. */
  public List<TenantId> pending() {
    return List.copyOf(pending);
  }

  /**
   * The sweep's part: queues every pending notification whose tenant needs no reconcile (a tenant
   * still reconciling is notified when its reconcile succeeds). Returns at once.
   *
   * @param reconciling tenants the sweep is about to reconcile
   * @return how many tenants were queued
   */
  public int sendPending(Set<TenantId> reconciling) {
    List<TenantId> due = new ArrayList<>();
    for (TenantId tenant : pending()) {
      if (!reconciling.contains(tenant)) {
        due.add(tenant);
      }
    }
    return submit(due, false, new AtomicInteger()).size();
  }

  /**
   * Start-up: notifies a batch on the background pool and waits for it at most {@code wait} (keep
   * it below the calling activity's timeout); the rest goes on in the background and failures are
   * left pending as usual.
   *
   * @return how many of the batch were settled (delivered or nothing to send) within the wait
   */
  public int notifyBatch(Collection<TenantId> tenants, boolean force, Duration wait) {
    AtomicInteger settled = new AtomicInteger();
    List<CompletableFuture<Void>> sends = submit(tenants, force, settled);
    try {
      CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0]))
          .get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      log.info(
          "compute notifications: {} of {} settled within {}; the rest continue in the background",
          settled.get(),
          sends.size(),
          wait);
    } catch (ExecutionException e) {
      log.error("compute notification batch failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return settled.get();
  }

  /** Waits until no background notification is queued or running (tests, shutdown). */
  public boolean awaitIdle(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!queued.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    return true;
  }

  private List<CompletableFuture<Void>> submit(
      Collection<TenantId> tenants, boolean force, AtomicInteger settled) {
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (TenantId tenant : tenants) {
      if (!queued.add(tenant)) {
        continue; // already queued or in flight: that send reads the placement when it starts
      }
      try {
        sends.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    if (notifyOrMarkPending(tenant, force)) {
                      settled.incrementAndGet();
                    }
                  } finally {
                    queued.remove(tenant);
                  }
                },
                background));
      } catch (RejectedExecutionException e) {
        queued.remove(tenant); // shutting down
      }
    }
    return sends;
  }

  @Override
  public void destroy() {
    background.shutdownNow();
  }
}
