package io.storagecontroller.leadership;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.testing.ApiClient;
import io.storagecontroller.testing.ApiClient.Response;
import io.storagecontroller.testing.ControllerProcess;
import io.storagecontroller.tools.simulator.PageserverFleet;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * A client of the old leader during a handover: creates tenants, migrates their shards, splits them
 * and creates timelines, one call at a time, and keeps what was acknowledged. A refusal a client
 * can meet in a handover or a race (503, 409, a shard split away: 404) is retried later; anything
 * else is recorded as unexpected.
 */
final class HandoverLoad {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private final ApiClient api;
  private final PageserverFleet fleet;
  private final Random random = new Random(7);
  private final List<TenantId> acknowledged = new CopyOnWriteArrayList<>();
  private final Map<TimelineId, TenantId> timelines = new ConcurrentHashMap<>();
  private final List<String> unexpected = new CopyOnWriteArrayList<>();
  private final AtomicInteger operations = new AtomicInteger();
  private volatile boolean stopped;
  private Thread thread;

  HandoverLoad(ApiClient api, PageserverFleet fleet) {
    this.api = api;
    this.fleet = fleet;
  }

  void start() {
    thread = new Thread(this::run, "handover-load");
    thread.start();
  }

  void stop() throws InterruptedException {
    stopped = true;
    thread.join(DEADLINE.toMillis());
  }

  int operations() {
    return operations.get();
  }

  void awaitOperations(int count) {
    ControllerProcess.await(DEADLINE, () -> operations.get() >= count, count + " operations");
  }

  List<TenantId> acknowledgedTenants() {
    return List.copyOf(acknowledged);
  }

  List<String> unexpected() {
    return List.copyOf(unexpected);
  }

  /** Every tenant and timeline the old leader acknowledged is there on the new one. */
  void assertNothingAcknowledgedLost(ApiClient leader) {
    for (TenantId tenant : acknowledged) {
      assertThat(leader.get("/control/v1/tenant/" + tenant).status())
          .as("tenant %s", tenant)
          .isEqualTo(200);
    }
    timelines.forEach(
        (timeline, tenant) ->
            assertThat(leader.get("/v1/tenant/" + tenant + "/timeline/" + timeline).status())
                .as("timeline %s of %s", timeline, tenant)
                .isEqualTo(200));
  }

  private void run() {
    while (!stopped) {
      int op = acknowledged.isEmpty() ? 0 : random.nextInt(4);
      TenantId tenant =
          acknowledged.isEmpty() ? null : acknowledged.get(random.nextInt(acknowledged.size()));
      try {
        switch (op) {
          case 0 -> create();
          case 1 -> migrate(tenant);
          case 2 -> expect("split", split(tenant), Set.of(200, 409, 503));
          default -> timeline(tenant);
        }
      } catch (UncheckedIOException e) {
        unexpected.add("no answer: " + e.getMessage());
      }
      operations.incrementAndGet();
    }
  }

  private void create() {
    TenantId tenant = TenantId.generate();
    Response r =
        api.post(
            "/v1/tenant",
            ("{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":2,\"stripe_size\":2048},"
                    + "\"placement_policy\":{\"Attached\":1}}")
                .formatted(tenant));
    if (r.status() == 201) {
      acknowledged.add(tenant);
    } else {
      expect("create", r, Set.of(503));
    }
  }

  private void migrate(TenantId tenant) {
    Response described = api.get("/control/v1/tenant/" + tenant);
    if (described.status() != 200) {
      expect("describe", described, Set.of(503));
      return;
    }
    JsonNode shard = described.json().get("shards").get(0);
    long attached = shard.path("node_attached").asLong();
    List<Long> others =
        fleet.pageservers().stream()
            .map(ps -> ps.nodeId().value())
            .filter(n -> n != attached)
            .toList();
    Response r =
        api.put(
            "/control/v1/tenant/" + shard.get("tenant_shard_id").asString() + "/migrate",
            "{\"node_id\":%d}".formatted(others.get(random.nextInt(others.size()))));
    expect("migrate", r, Set.of(200, 404, 409, 503));
  }

  private Response split(TenantId tenant) {
    return api.put("/control/v1/tenant/" + tenant + "/shard_split", "{\"new_shard_count\":4}");
  }

  private void timeline(TenantId tenant) {
    TimelineId timeline = TimelineId.generate();
    Response r =
        api.post(
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":16}".formatted(timeline));
    if (r.status() == 201) {
      timelines.put(timeline, tenant);
    } else {
      expect("timeline create", r, Set.of(409, 503));
    }
  }

  private void expect(String what, Response r, Set<Integer> allowed) {
    if (!allowed.contains(r.status())) {
      unexpected.add(what + ": " + r.status() + " " + r.body());
    }
  }
}
