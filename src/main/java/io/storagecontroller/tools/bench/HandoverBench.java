package io.storagecontroller.tools.bench;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.tools.harness.ControllerChild;
import io.storagecontroller.tools.harness.ControllerHttp;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A rolling deploy under load: a second controller starts as candidate on the same database, the
 * leader steps down, the candidate leads. Clients keep creating tenants through the old leader
 * (which forwards once it has stepped down) from before the candidate starts until a few seconds
 * after it is ready. Measured: seconds from the candidate's start, and from the step-down, to the
 * first create the new leader acknowledged; the slowest acknowledged create; the failed creates by
 * status (the goal: only 503s); acknowledged tenants the new leader does not know (the goal: none).
 */
final class HandoverBench {
  private static final int CLIENTS = 8;
  private static final long AFTER_READY_NANOS = 3_000_000_000L;

  private record Call(long start, long end, int status, TenantId tenant) {}

  private final Bench bench;
  private final ControllerChild leader;
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

  HandoverBench(Bench bench, ControllerChild leader) {
    this.bench = bench;
    this.leader = leader;
  }

  void run(ControllerChild candidate) {
    ControllerHttp viaLeader = new ControllerHttp(leader.url());
    AtomicLong steppedDownAt = new AtomicLong();
    AtomicLong readyAt = new AtomicLong();
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    long launched = System.nanoTime();
    Thread watcher =
        new Thread(
            () -> {
              try {
                watchStepDown(viaLeader, steppedDownAt);
                candidate.awaitReady(Bench.DEADLINE);
                readyAt.set(System.nanoTime());
              } catch (RuntimeException e) {
                failed.set(e);
              }
            },
            "handover-watch");
    candidate.start();
    watcher.start();
    Bench.runClients(
        CLIENTS,
        () -> {
          long ready = readyAt.get();
          if (failed.get() != null
              || (ready != 0 && System.nanoTime() > ready + AFTER_READY_NANOS)) {
            return false;
          }
          create(viaLeader);
          return true;
        });
    join(watcher);
    if (failed.get() != null) {
      throw failed.get();
    }
    report(launched, steppedDownAt.get(), new ControllerHttp(candidate.url()));
  }

  private void create(ControllerHttp http) {
    TenantId tenant = TenantId.generate();
    long start = System.nanoTime();
    int status;
    try {
      status =
          http.send(
                  "POST",
                  "/v1/tenant",
                  ("{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":0,"
                          + "\"stripe_size\":2048},\"placement_policy\":{\"Attached\":0}}")
                      .formatted(tenant))
              .status();
    } catch (UncheckedIOException refused) {
      status = 0;
    }
    calls.add(new Call(start, System.nanoTime(), status, tenant));
    if (status / 100 != 2) {
      Bench.pause(Duration.ofMillis(50));
    }
  }

  private static void watchStepDown(ControllerHttp leader, AtomicLong at) {
    Bench.await(
        () -> {
          try {
            return leader.get("/live").status() == 503;
          } catch (UncheckedIOException gone) {
            return false;
          }
        },
        "the leader to step down");
    at.set(System.nanoTime());
  }

  private void report(long launched, long steppedDown, ControllerHttp newLeader) {
    List<Call> all = new ArrayList<>(calls);
    all.sort((a, b) -> Long.compare(a.end(), b.end()));
    Map<String, Integer> failed = new TreeMap<>();
    long slowest = 0;
    Call firstAfterStepDown = null;
    List<TenantId> acknowledged = new ArrayList<>();
    // What the clients see: the longest wait between two acknowledgements, from the last create the
    // old leader answered (its step-down begins earlier than /live says) to the new leader's first.
    long lastAcknowledged = 0;
    long longestGap = 0;
    for (Call call : all) {
      if (call.status() / 100 == 2) {
        if (lastAcknowledged != 0) {
          longestGap = Math.max(longestGap, call.end() - lastAcknowledged);
        }
        lastAcknowledged = call.end();
        acknowledged.add(call.tenant());
        slowest = Math.max(slowest, call.end() - call.start());
        if (firstAfterStepDown == null && call.start() >= steppedDown) {
          firstAfterStepDown = call;
        }
      } else {
        failed.merge(
            call.status() == 0 ? "no answer" : String.valueOf(call.status()), 1, Integer::sum);
      }
    }
    long lost =
        acknowledged.stream()
            .filter(t -> newLeader.get("/control/v1/tenant/" + t).status() != 200)
            .count();
    int failures = failed.values().stream().mapToInt(Integer::intValue).sum();
    Map<String, Object> p =
        Bench.ordered(
            "clients",
            CLIENTS,
            "creates",
            all.size(),
            "acknowledged",
            acknowledged.size(),
            "failed_by_status",
            failed,
            "step_down_after_s",
            (steppedDown - launched) / 1e9);
    if (firstAfterStepDown != null) {
      bench.add(
          "handover_candidate_start_to_first_write",
          (firstAfterStepDown.end() - launched) / 1e9,
          "s",
          p);
      bench.add(
          "handover_step_down_to_first_write",
          (firstAfterStepDown.end() - steppedDown) / 1e9,
          "s",
          p);
    }
    bench.add("handover_longest_gap_between_acknowledged_writes", longestGap / 1e9, "s", p);
    bench.add("handover_slowest_acknowledged_write", slowest / 1e9, "s", p);
    bench.add("handover_failed_writes", failures, "requests", p);
    bench.add(
        "handover_failed_writes_not_503", failures - failed.getOrDefault("503", 0), "requests", p);
    bench.add("handover_acknowledged_lost", lost, "tenants", p);
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
