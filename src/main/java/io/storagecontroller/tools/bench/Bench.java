package io.storagecontroller.tools.bench;

import io.storagecontroller.model.LocationConfigMode;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.tools.harness.ControllerHttp;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;

/**
 * The benchmark's workloads against a running controller and simulated fleet, one method per phase,
 * each adding its figures to {@link #results}.
 */
final class Bench {
  static final Duration DEADLINE = Duration.ofMinutes(10);

  final ControllerHttp http;
  final PageserverFleet fleet;
  final ComputeHookReceiver hook;
  final List<PhaseResult> results = new ArrayList<>();
  final List<TenantId> tenants = new ArrayList<>();
  private final Random random;
  private final LongSupplier controllerCpuMillis;

  Bench(
      ControllerHttp http,
      PageserverFleet fleet,
      ComputeHookReceiver hook,
      long seed,
      LongSupplier controllerCpuMillis) {
    this.controllerCpuMillis = controllerCpuMillis;
    this.http = http;
    this.fleet = fleet;
    this.hook = hook;
    this.random = new Random(seed);
  }

  void add(String phase, double figure, String unit, Map<String, Object> parameters) {
    results.add(new PhaseResult(phase, figure, unit, parameters));
  }

  /** Tenants of 1 and 8 shards, Attached(1), created by {@code clients} concurrent callers. */
  void create(int tenantCount, int shardCount, int clients) {
    int eightShard = Math.max(0, (shardCount - tenantCount) / 7);
    ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    long shards = 0;
    for (int i = 0; i < tenantCount; i++) {
      TenantId tenant = TenantId.generate();
      tenants.add(tenant);
      int count = i < eightShard ? 8 : 0;
      shards += Math.max(1, count);
      bodies.add(
          ("{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":%d,\"stripe_size\":2048},"
                  + "\"placement_policy\":{\"Attached\":1}}")
              .formatted(tenant, count));
    }
    long cpu = cpuMillis();
    long start = System.nanoTime();
    runClients(
        clients,
        () -> {
          String body = bodies.poll();
          if (body == null) {
            return false;
          }
          http.ok("POST", "/v1/tenant", body);
          return true;
        });
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> p = Map.of("tenants", tenantCount, "shards", shards, "clients", clients);
    add("create_tenants", tenantCount / seconds, "tenants/s", p);
    add("create_shards", shards / seconds, "shards/s", p);
    add("cpu_ms_per_tenant_create", (cpuMillis() - cpu) / (double) tenantCount, "ms", p);
  }

  /**
   * A fixed number of migrations, timeline creates and pass-through reads from many callers (Neon's
   * scale test runs 540 with 135 clients, more than its 128 reconcile slots), then the time until
   * the work they started has settled.
   */
  void mixed(int clients, int operations) {
    Placements placements = Placements.read(http);
    List<String> shards = new ArrayList<>(placements.attachedByShard().keySet());
    List<Long> nodes = fleet.pageservers().stream().map(p -> p.nodeId().value()).toList();
    Latencies latencies = new Latencies();
    AtomicLong left = new AtomicLong(operations);
    long start = System.nanoTime();
    runClients(
        clients,
        () -> {
          if (left.getAndDecrement() <= 0) {
            return false;
          }
          int op;
          String shard;
          TenantId tenant;
          long node;
          synchronized (random) {
            op = random.nextInt(3);
            shard = shards.get(random.nextInt(shards.size()));
            tenant = tenants.get(random.nextInt(tenants.size()));
            node = nodes.get(random.nextInt(nodes.size()));
          }
          ControllerHttp.Reply reply;
          String route;
          switch (op) {
            case 0 -> {
              route = "PUT /control/v1/tenant/:tenant_shard_id/migrate";
              reply =
                  http.send(
                      "PUT",
                      "/control/v1/tenant/" + shard + "/migrate",
                      ("{\"node_id\":%d,\"migration_config\":{\"secondary_warmup_timeout\":\"2s\","
                              + "\"secondary_download_request_timeout\":\"1s\"}}")
                          .formatted(node));
            }
            case 1 -> {
              route = "POST /v1/tenant/:tenant_id/timeline";
              reply =
                  http.send(
                      "POST",
                      "/v1/tenant/" + tenant + "/timeline",
                      "{\"new_timeline_id\":\"%s\",\"pg_version\":17}"
                          .formatted(TimelineId.generate()));
            }
            default -> {
              route = "GET /v1/tenant/:tenant_id/timeline (pass-through)";
              reply = http.send("GET", "/v1/tenant/" + tenant + "/timeline", null);
            }
          }
          // 409/412/503 are the API's answers to a race (already migrating, attachment moving),
          // not failures of the service.
          boolean ok = reply.status() < 500 || reply.status() == 503;
          latencies.record(route, reply.nanos(), ok);
          return true;
        });
    double seconds = (System.nanoTime() - start) / 1e9;
    add(
        "mixed_ops",
        latencies.count() / seconds,
        "ops/s",
        Map.of("clients", clients, "operations", operations, "duration_s", seconds));
    long settling = System.nanoTime();
    awaitIdle();
    add(
        "mixed_settle",
        (System.nanoTime() - settling) / 1e9,
        "s",
        Map.of("what", "until the migrations started have finished"));
    latencies.addTo(this, "mixed", Latencies.MEDIAN_AND_TAIL);
  }

  /**
   * Waits until no reconcile or migration is left (the consistency check stops refusing). Both
   * calls walk every shard, so it asks once a second, not at the pace of the other waits.
   */
  void awaitIdle() {
    await(
        () -> {
          http.send("POST", "/debug/v1/reconcile_all", "");
          if (http.send("POST", "/debug/v1/consistency_check", "").status() != 409) {
            return true;
          }
          pause(Duration.ofSeconds(1));
          return false;
        },
        "an idle controller");
  }

  void idleReconcileAll() {
    awaitIdle();
    ControllerHttp.Reply reply = http.ok("POST", "/debug/v1/reconcile_all", "");
    add(
        "idle_reconcile_all",
        reply.nanos() / 1e6,
        "ms",
        Map.of("reconciles_started", Long.parseLong(reply.body().strip())));
  }

  /**
   * Fails the node holding the most attached shards; records seconds from the failure until every
   * one of its shards is attached elsewhere and its tenants' computes were told, and the part after
   * the node was declared offline, which it returns with the number of shards. Starts once the
   * controller is idle and its computes' notifications (a restart's, for every tenant) are sent.
   */
  double[] nodeFailure(String phase) {
    awaitIdle();
    await(() -> hook.quietFor(Duration.ofSeconds(2)), "compute notifications sent");
    Placements before = Placements.read(http);
    long victim =
        before.perNode().entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .orElseThrow()
            .getKey();
    List<TenantShardId> shards =
        before.shardsOn(victim).stream().map(TenantShardId::parse).toList();
    SimulatedPageserver failed = fleet.pageserver(victim);
    long start = System.nanoTime();
    failed.fault(Fault.down());
    AtomicLong offlineAt = new AtomicLong();
    await(
        () -> {
          if (offlineAt.get() == 0
              && "Offline".equals(node(victim).path("availability").asString())) {
            offlineAt.set(System.nanoTime());
          }
          return offlineAt.get() != 0
              && shards.stream().allMatch(s -> attachedElsewhere(s, victim))
              && shards.stream()
                  .allMatch(s -> hook.notifiedAwayFrom(s.tenantId().toString(), victim));
        },
        "evacuation of node " + victim);
    long done = System.nanoTime();
    double total = (done - start) / 1e9;
    double afterOffline = (done - offlineAt.get()) / 1e9;
    Map<String, Object> p = Map.of("node", victim, "shards", shards.size());
    add(phase, total, "s", p);
    add(phase + "_after_offline", afterOffline, "s", p);
    failed.clearFaults();
    await(() -> "Active".equals(node(victim).path("availability").asString()), "node back");
    return new double[] {afterOffline, shards.size()};
  }

  void drainAndFill() {
    awaitIdle();
    Placements before = Placements.read(http);
    long node =
        before.perNode().entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .orElseThrow()
            .getKey();
    long attached = before.perNode().get(node);
    long cpu = cpuMillis();
    double drain = runOperation(node, "drain", "PauseForRestart");
    add("drain", drain, "s", Map.of("node", node, "attached_shards", attached));
    // Every attachment of the drained node moved by one live migration.
    add(
        "cpu_ms_per_migration",
        (cpuMillis() - cpu) / (double) attached,
        "ms",
        Map.of("node", node, "migrations", attached));
    fleet.pageserver(node).restart();
    await(() -> "Active".equals(node(node).path("scheduling").asString()), "node re-attached");
    await(() -> "Active".equals(node(node).path("availability").asString()), "node available");
    double fill = runOperation(node, "fill", "Active");
    add("fill", fill, "s", Map.of("node", node));
  }

  void balance() {
    awaitIdle();
    Map<Long, Long> perNode = attachedPerNode();
    long max = perNode.values().stream().mapToLong(Long::longValue).max().orElse(0);
    long min = perNode.values().stream().mapToLong(Long::longValue).min().orElse(0);
    add("balance_max_minus_min", max - min, "shards", Map.of("attached_per_node", perNode));
  }

  /**
   * The optimiser's own balancing (issue #20's figure): it is paused from the start, so that the
   * earlier phases measure their operations alone, and resumed here on the fleet they left behind
   * (nodes back from failures, a drain and a fill). Records the time until every node's attached
   * count is within 5% of the mean, the time until they differ by at most one with no optimiser
   * pass running, the migrations it used by then and the fewest that could level the fleet.
   */
  void optimiserBalance() {
    awaitIdle();
    Map<Long, Long> before = attachedPerNode();
    long total = before.values().stream().mapToLong(Long::longValue).sum();
    int nodes = before.size();
    long ceiling = (total + nodes - 1) / nodes;
    long floor = total / nodes;
    long excess = before.values().stream().mapToLong(c -> Math.max(0, c - ceiling)).sum();
    long deficit = before.values().stream().mapToLong(c -> Math.max(0, floor - c)).sum();
    long fewest = Math.max(excess, deficit);
    long passesBefore =
        optimiserPasses().stream().mapToLong(p -> p.path("id").asLong()).max().orElse(0);
    double mean = total / (double) nodes;
    long start = System.nanoTime();
    AtomicLong within5 = new AtomicLong();
    http.ok("PUT", "/control/v1/optimiser", "{\"paused\":false}");
    await(
        () -> {
          Map<Long, Long> now = attachedPerNode();
          if (within5.get() == 0
              && now.values().stream().allMatch(c -> Math.abs(c - mean) <= 0.05 * mean)) {
            within5.set(System.nanoTime());
          }
          long spread =
              now.values().stream().mapToLong(Long::longValue).max().orElse(0)
                  - now.values().stream().mapToLong(Long::longValue).min().orElse(0);
          boolean settled =
              optimiserPasses().stream()
                  .noneMatch(p -> p.path("state").asString().equals("running"));
          if (spread <= 1 && settled) {
            return true;
          }
          pause(Duration.ofSeconds(1));
          return false;
        },
        "the optimiser's balance");
    double seconds = (System.nanoTime() - start) / 1e9;
    List<JsonNode> passes =
        optimiserPasses().stream().filter(p -> p.path("id").asLong() > passesBefore).toList();
    long migrations = passes.stream().mapToLong(p -> p.path("progress_done").asLong()).sum();
    Map<Long, Long> after = attachedPerNode();
    long max = after.values().stream().mapToLong(Long::longValue).max().orElse(0);
    long min = after.values().stream().mapToLong(Long::longValue).min().orElse(0);
    Map<String, Object> p =
        ordered(
            "attached_per_node_before", before,
            "attached_per_node_after", after,
            "fewest_moves", fewest,
            "migrations", migrations,
            "passes", passes.size());
    add("optimiser_balance_within_5pct", (within5.get() - start) / 1e9, "s", p);
    add("optimiser_balance", seconds, "s", p);
    add("optimiser_balance_migrations", migrations, "migrations", p);
    add(
        "optimiser_balance_migrations_over_fewest",
        fewest == 0 ? 1.0 : migrations / (double) fewest,
        "ratio",
        p);
    add("optimiser_balance_spread", (max - min) / mean * 100, "% of mean", p);
  }

  /** Pauses the optimiser: the phases before {@link #optimiserBalance} measure operations alone. */
  void pauseOptimiser() {
    http.ok("PUT", "/control/v1/optimiser", "{\"paused\":true}");
  }

  private List<JsonNode> optimiserPasses() {
    List<JsonNode> passes = new ArrayList<>();
    for (JsonNode op : http.ok("GET", "/control/v1/operations?limit=1000", null).json()) {
      if (op.path("kind").asString().equals("optimise")) {
        passes.add(op);
      }
    }
    return passes;
  }

  private Map<Long, Long> attachedPerNode() {
    Map<Long, Long> perNode = new TreeMap<>(Placements.read(http).perNode());
    for (SimulatedPageserver ps : fleet.pageservers()) {
      perNode.putIfAbsent(ps.nodeId().value(), 0L);
    }
    return perNode;
  }

  private double runOperation(long node, String kind, String endPolicy) {
    long start = System.nanoTime();
    http.ok("PUT", "/control/v1/node/" + node + "/" + kind, "");
    await(
        () -> endPolicy.equals(node(node).path("scheduling").asString()),
        kind + " of node " + node);
    return (System.nanoTime() - start) / 1e9;
  }

  /** CPU time the controller process has used so far (user and system). */
  long cpuMillis() {
    return controllerCpuMillis.getAsLong();
  }

  JsonNode node(long node) {
    return http.ok("GET", "/control/v1/node/" + node, null).json();
  }

  private boolean attachedElsewhere(TenantShardId shard, long victim) {
    return fleet.pageservers().stream()
        .filter(ps -> ps.nodeId().value() != victim)
        .anyMatch(
            ps ->
                ps.location(shard)
                    .map(c -> c.mode() == LocationConfigMode.ATTACHED_SINGLE)
                    .orElse(false));
  }

  /** Runs {@code step} on {@code clients} threads until each returns false. */
  static void runClients(int clients, BooleanSupplier step) {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Throwable> failures = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      pool.execute(
          () -> {
            try {
              while (step.getAsBoolean()) {
                // next
              }
            } catch (RuntimeException e) {
              synchronized (failures) {
                failures.add(e);
              }
            }
          });
    }
    pool.shutdown();
    try {
      if (!pool.awaitTermination(DEADLINE.toMinutes() * 6, TimeUnit.MINUTES)) {
        throw new IllegalStateException("clients did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          failures.size() + " clients failed; first: " + failures.get(0).getMessage(),
          failures.get(0));
    }
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      pause(Duration.ofMillis(100));
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
