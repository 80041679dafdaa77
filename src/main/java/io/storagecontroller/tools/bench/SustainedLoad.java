package io.storagecontroller.tools.bench;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.tools.harness.ControllerChild;
import io.storagecontroller.tools.harness.ControllerHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained API traffic for a fixed time: many clients mixing reads (describe, list, pass-through)
 * and writes (timeline creates, a tenant created and deleted, now and then a migration), while the
 * controller's live heap is sampled. Every answer counts: a 5xx is an error, and so is any refusal
 * the request could not have earned (only a migration may meet a 409/503 race, and a timeline
 * create may meet a migration: Neon's 503 "please retry", counted apart).
 *
 * <p>The live heap (a full GC, then the heap in use) is read just before the clients start and just
 * after they stop; while they run, the heap each of the controller's own collections left is
 * sampled without forcing one. An earlier version forced a full GC every 15 s during the load, and
 * its stop-the-world pauses (a few hundred ms each on two cores) were in every route's tail.
 */
final class SustainedLoad {
  private static final Duration HEAP_SAMPLE_EVERY = Duration.ofSeconds(15);

  private final Bench bench;
  private final ControllerChild controller;
  private final Random random;
  private final Latencies latencies = new Latencies();
  private final List<Long> heapSamples = new ArrayList<>();
  private OptionalLong liveAtStart = OptionalLong.empty();
  private OptionalLong liveAtEnd = OptionalLong.empty();
  private final AtomicLong racedTimelineCreates = new AtomicLong();

  SustainedLoad(Bench bench, ControllerChild controller, long seed) {
    this.bench = bench;
    this.controller = controller;
    this.random = new Random(seed);
  }

  void run(int clients, Duration duration) {
    bench.awaitIdle();
    List<String> shards = new ArrayList<>(Placements.read(bench.http).attachedByShard().keySet());
    List<Long> nodes = bench.fleet.pageservers().stream().map(p -> p.nodeId().value()).toList();
    liveAtStart = ProcessMemory.liveHeapBytes(controller.jmxPort());
    HandlerCpu.Totals cpuBefore = HandlerCpu.read(bench.http);
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleWithFixedDelay(
        this::sampleHeap,
        HEAP_SAMPLE_EVERY.toMillis(),
        HEAP_SAMPLE_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    try {
      Bench.runClients(
          clients,
          () -> {
            if (System.nanoTime() > end) {
              return false;
            }
            int op;
            TenantId tenant;
            String shard;
            long node;
            synchronized (random) {
              op = random.nextInt(100);
              tenant = bench.tenants.get(random.nextInt(bench.tenants.size()));
              shard = shards.get(random.nextInt(shards.size()));
              node = nodes.get(random.nextInt(nodes.size()));
            }
            call(op, tenant, shard, node);
            return true;
          });
    } finally {
      sampler.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    HandlerCpu.report(bench, "load", cpuBefore, HandlerCpu.read(bench.http));
    liveAtEnd = ProcessMemory.liveHeapBytes(controller.jmxPort());
    report(clients, seconds);
  }

  private void call(int op, TenantId tenant, String shard, long node) {
    ControllerHttp http = bench.http;
    if (op < 20) {
      record(
          "GET /control/v1/tenant/:tenant_id",
          http.send("GET", "/control/v1/tenant/" + tenant, null),
          false);
    } else if (op < 35) {
      record(
          "GET /v1/tenant/:tenant_id/timeline (pass-through)",
          http.send("GET", "/v1/tenant/" + tenant + "/timeline", null),
          false);
    } else if (op < 45) {
      record("GET /control/v1/node", http.send("GET", "/control/v1/node", null), false);
    } else if (op < 55) {
      record(
          "GET /control/v1/tenant?limit=50",
          http.send("GET", "/control/v1/tenant?limit=50", null),
          false);
    } else if (op < 80) {
      ControllerHttp.Reply reply =
          http.send(
              "POST",
              "/v1/tenant/" + tenant + "/timeline",
              "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(TimelineId.generate()));
      // Neon's answer to a create that met one of the load's migrations (a shard's generation moved
      // on meanwhile): the control plane retries it. Counted apart, not as an error.
      boolean raced = reply.status() == 503 && reply.body().contains("please retry");
      if (raced) {
        racedTimelineCreates.incrementAndGet();
      }
      record("POST /v1/tenant/:tenant_id/timeline", reply, raced);
    } else if (op < 97) {
      // Created and deleted by the same client, so the fleet's size stays flat.
      TenantId created = TenantId.generate();
      record(
          "POST /v1/tenant",
          http.send(
              "POST",
              "/v1/tenant",
              "{\"new_tenant_id\":\"%s\",\"placement_policy\":{\"Attached\":1}}"
                  .formatted(created)),
          false);
      record(
          "DELETE /v1/tenant/:tenant_id",
          http.send("DELETE", "/v1/tenant/" + created, null),
          false);
    } else {
      record(
          "PUT /control/v1/tenant/:tenant_shard_id/migrate",
          http.send(
              "PUT",
              "/control/v1/tenant/" + shard + "/migrate",
              ("{\"node_id\":%d,\"migration_config\":{\"secondary_warmup_timeout\":\"2s\","
                      + "\"secondary_download_request_timeout\":\"1s\"}}")
                  .formatted(node)),
          true);
    }
  }

  private void record(String route, ControllerHttp.Reply reply, boolean mayRace) {
    int status = reply.status();
    boolean ok = status < 400 || (mayRace && (status == 409 || status == 412 || status == 503));
    latencies.record(route, reply.nanos(), ok);
  }

  private synchronized void sampleHeap() {
    ProcessMemory.heapAfterLastCollection(controller.jmxPort()).ifPresent(heapSamples::add);
  }

  private void report(int clients, double seconds) {
    long errors = latencies.byRoute().keySet().stream().mapToLong(latencies::errors).sum();
    bench.add(
        "load_ops",
        latencies.count() / seconds,
        "ops/s",
        Map.of("clients", clients, "duration_s", seconds, "calls", latencies.count()));
    bench.add("load_errors", errors, "calls", Map.of("clients", clients));
    bench.add(
        "load_timeline_creates_raced_by_a_migration",
        racedTimelineCreates.get(),
        "calls",
        Map.of("answer", "503 Tenant attachment changed, please retry"));
    latencies.addTo(bench, "load", Latencies.MEDIAN_TAIL_AND_MAX);
    List<Long> heap;
    synchronized (this) {
      heap = List.copyOf(heapSamples);
    }
    Map<String, Object> p =
        Map.of(
            "after_gc_samples_mib",
            heap.stream().map(b -> Math.round(b / 1048576.0)).toList(),
            "every_s",
            HEAP_SAMPLE_EVERY.toSeconds());
    if (liveAtStart.isPresent() && liveAtEnd.isPresent()) {
      double first = liveAtStart.getAsLong() / 1048576.0;
      double last = liveAtEnd.getAsLong() / 1048576.0;
      bench.add("load_heap_live_start", first, "MiB", p);
      bench.add("load_heap_live_end", last, "MiB", p);
      bench.add("load_heap_growth", (last - first) / first * 100, "%", p);
    }
    heap.stream()
        .mapToLong(Long::longValue)
        .max()
        .ifPresent(max -> bench.add("load_heap_after_gc_max", max / 1048576.0, "MiB", p));
  }
}
