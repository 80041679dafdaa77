package io.storagecontroller.tools.chaos;

import io.storagecontroller.failpoint.FailpointNames;
import io.storagecontroller.tools.harness.ControllerChild;
import io.storagecontroller.tools.harness.ControllerHttp;
import io.storagecontroller.tools.simulator.Fault;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Breaks things on a seeded schedule: pageservers crashed and restarted, partitioned, slowed or
 * failing requests (one at a time, healed after a few seconds), and faults that last: a partition
 * past {@code --max-offline-interval}, a pageserver that accepts connections and never answers, one
 * gone for a minute (its disk lost); failpoints returning errors for a few seconds; PostgreSQL's
 * connections cut, or PostgreSQL stopped for a few seconds; and the controller SIGKILLed, or halted
 * by a failpoint at a phase of a split or a migration, and started again. Restarts a node a drain
 * left PauseForRestart, as an operator would.
 */
final class FaultInjector implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

  private final PageserverFleet fleet;
  private final ControllerChild controller;
  // The next version of the controller in a rolling deploy, on the same database.
  private final ControllerChild next;
  private final ControllerHttp http;
  private final Random random;
  private final Duration pageserverEvery;
  private final Duration controllerEvery;
  private final BooleanSupplier running;
  private final Map<String, Long> injected = new TreeMap<>();
  private final Map<SimulatedPageserver, Heal> healAt = new HashMap<>();
  private final ChaosDatabase database;
  private final Duration databaseEvery;

  /** Where a controller kill may fall: each phase of a split and of a live migration. */
  private static final List<String> PHASES =
      List.of(
          FailpointNames.SHARD_SPLIT_POST_BEGIN,
          FailpointNames.SHARD_SPLIT_POST_REMOTE,
          FailpointNames.SHARD_SPLIT_PRE_COMPLETE,
          FailpointNames.SHARD_SPLIT_POST_COMPLETE,
          FailpointNames.LIVE_MIGRATE_PRE_STEP_DOWN,
          FailpointNames.LIVE_MIGRATE_PRE_GENERATION_INC,
          FailpointNames.LIVE_MIGRATE_POST_GENERATION_INC,
          FailpointNames.LIVE_MIGRATE_PRE_AWAIT_LSN,
          FailpointNames.LIVE_MIGRATE_POST_NOTIFY,
          FailpointNames.LIVE_MIGRATE_POST_DETACH);

  private static final Duration PHASE_WAIT = Duration.ofSeconds(30);

  /** When a broken pageserver is made whole again, and how. */
  private record Heal(long at, Runnable action) {}

  private String failpoint;
  private long failpointOffAt;

  FaultInjector(
      PageserverFleet fleet,
      ControllerChild controller,
      ControllerChild next,
      ControllerHttp http,
      ChaosDatabase database,
      long seed,
      Duration pageserverEvery,
      Duration controllerEvery,
      Duration databaseEvery,
      BooleanSupplier running) {
    this.fleet = fleet;
    this.database = database;
    this.databaseEvery = databaseEvery;
    this.controller = controller;
    this.next = next;
    this.http = http;
    this.random = new Random(seed);
    this.pageserverEvery = pageserverEvery;
    this.controllerEvery = controllerEvery;
    this.running = running;
  }

  /**
   * Pageserver faults; the controller is killed from its own thread (its restart takes a while).
   */
  @Override
  public void run() {
    Thread killer = new Thread(this::killControllerPeriodically, "chaos-controller-killer");
    killer.start();
    Thread breaker = new Thread(this::breakDatabasePeriodically, "chaos-database-breaker");
    breaker.start();
    long nextPageserver = System.nanoTime() + jitter(pageserverEvery);
    long nextFailpoint = System.nanoTime() + jitter(pageserverEvery);
    while (running.getAsBoolean()) {
      long now = System.nanoTime();
      heal(now);
      if (now >= nextPageserver) {
        pageserverFault(now);
        nextPageserver = now + jitter(pageserverEvery);
      }
      if (failpointOffAt != 0 && now >= failpointOffAt) {
        setFailpoint(failpoint, "off");
        failpointOffAt = 0;
      }
      if (now >= nextFailpoint && failpointOffAt == 0) {
        failpoint = FailpointNames.ALL.get(random.nextInt(FailpointNames.ALL.size()));
        if (setFailpoint(failpoint, "return")) {
          count("failpoint_return");
          failpointOffAt = now + Duration.ofMillis(2000 + random.nextInt(3000)).toNanos();
        }
        nextFailpoint = now + jitter(pageserverEvery);
      }
      restartPausedNodes();
      sleep(200);
    }
    healAll();
    try {
      killer.join();
      breaker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failpointOffAt != 0) {
      // Left on, it would fail every step it names while the soak waits for an idle controller.
      setFailpoint(failpoint, "off");
    }
  }

  /** Half the time every connection is cut, half the time PostgreSQL stops for 3 to 10 s. */
  private void breakDatabasePeriodically() {
    Random schedule = new Random(random.nextLong());
    while (running.getAsBoolean()) {
      sleep((long) (databaseEvery.toMillis() * (0.5 + schedule.nextDouble())));
      if (!running.getAsBoolean()) {
        return;
      }
      try {
        if (schedule.nextBoolean()) {
          database.cutConnections();
          count("database_connections_cut");
        } else {
          database.restart(Duration.ofMillis(3000 + schedule.nextInt(7000)));
          count("database_restart");
        }
      } catch (RuntimeException e) {
        log.error("chaos: database fault failed: {}", e.toString());
      }
    }
  }

  /**
   * A third of the controller's faults are rolling deploys; of the others, half are kills at a
   * random moment, half at a phase of a split or a live migration.
   */
  private void killControllerPeriodically() {
    Random schedule = new Random(random.nextLong());
    while (running.getAsBoolean()) {
      sleep((long) (controllerEvery.toMillis() * (0.5 + schedule.nextDouble())));
      if (!running.getAsBoolean()) {
        return;
      }
      int fault = schedule.nextInt(3);
      if (fault == 0) {
        rollingDeploy();
        continue;
      }
      if (fault == 1) {
        exitAtPhase(PHASES.get(schedule.nextInt(PHASES.size())));
      } else {
        log.info("chaos: SIGKILL the controller");
        controller.kill();
        count("controller_kill");
      }
      restartController();
    }
  }

  /**
   * Two handovers under load, as an operator's upgrade and its roll-back: the next controller
   * starts as candidate and leads (the controller steps down and forwards to it); the controller is
   * stopped and started again as candidate, and takes over back at its own address; the next one is
   * stopped. Clients keep calling the controller's address throughout.
   */
  private void rollingDeploy() {
    log.info("chaos: rolling deploy: a candidate takes over");
    try {
      next.asCandidate(true).start().awaitReady(Duration.ofMinutes(3));
      controller.stop();
      controller.asCandidate(true).start().awaitReady(Duration.ofMinutes(3));
      next.stop();
      count("rolling_deploy");
    } catch (IllegalStateException e) {
      log.error("chaos: rolling deploy failed: {}", e.getMessage());
      count("rolling_deploy_failed");
      next.kill();
      controller.kill();
      restartController();
    } finally {
      controller.asCandidate(false);
    }
  }

  /**
   * The controller halts itself the next time a split or a migration reaches {@code phase} (a
   * failpoint's {@code exit}); if none does within 30 s, it is killed anyway.
   */
  private void exitAtPhase(String phase) {
    if (setFailpoint(phase, "1*exit") && controller.awaitExit(PHASE_WAIT)) {
      log.info("chaos: the controller exited at {}", phase);
      count("controller_exit_at_" + phase);
      return;
    }
    log.info("chaos: no operation reached {}; SIGKILL the controller", phase);
    controller.kill();
    count("controller_kill");
  }

  synchronized Map<String, Long> injected() {
    return new TreeMap<>(injected);
  }

  void healAll() {
    healAt.values().forEach(h -> h.action().run());
    healAt.clear();
  }

  private void pageserverFault(long now) {
    if (!healAt.isEmpty()) {
      return; // one broken pageserver at a time, so the fleet keeps room to move shards
    }
    SimulatedPageserver victim =
        fleet.pageservers().get(random.nextInt(fleet.pageservers().size()));
    int kind = random.nextInt(7);
    long heal = now + Duration.ofMillis(3000 + random.nextInt(5000)).toNanos();
    Runnable healing = victim::clearFaults;
    switch (kind) {
      case 0 -> {
        victim.restart();
        count("pageserver_crash_restart");
        return;
      }
      case 1 -> {
        victim.fault(Fault.down());
        count("pageserver_partition");
      }
      case 2 -> {
        victim.fault(Fault.slow(Duration.ofMillis(300)));
        count("pageserver_slow");
      }
      case 3 -> {
        victim.fault(Fault.failing(0.3, random.nextLong()));
        count("pageserver_failing_requests");
      }
      case 4 -> {
        // Past --max-offline-interval: its shards are evacuated, and it comes back unrestarted.
        victim.fault(Fault.down());
        heal = now + Duration.ofSeconds(20 + random.nextInt(10)).toNanos();
        count("pageserver_partition_past_offline");
      }
      case 5 -> {
        victim.fault(Fault.hanging());
        heal = now + Duration.ofSeconds(15 + random.nextInt(10)).toNanos();
        count("pageserver_hanging");
      }
      default -> {
        // Gone for a minute with its disk: it comes back empty and re-attaches.
        victim.crash();
        heal = now + Duration.ofSeconds(60).toNanos();
        healing = victim::start;
        count("pageserver_gone_60s");
      }
    }
    log.info("chaos: fault {} on pageserver {}: {}", kind, victim.nodeId(), victim.faults());
    healAt.put(victim, new Heal(heal, healing));
  }

  /** Fails every step at the failpoint for a few seconds (the controller loses them on a kill). */
  private boolean setFailpoint(String name, String actions) {
    try {
      ControllerHttp.Reply reply =
          http.send(
              "PUT",
              "/debug/v1/failpoints",
              "[{\"name\":\"%s\",\"actions\":\"%s\"}]".formatted(name, actions));
      if (reply.status() == 200) {
        log.info("chaos: failpoint {} = {}", name, actions);
        return true;
      }
    } catch (UncheckedIOException controllerDown) {
      // Restarting: this round has no failpoint.
    }
    return false;
  }

  private void heal(long now) {
    healAt
        .entrySet()
        .removeIf(
            e -> {
              if (now >= e.getValue().at()) {
                e.getValue().action().run();
                return true;
              }
              return false;
            });
  }

  private void restartController() {
    // As a supervisor does: a start that fails (PostgreSQL down past --db-connect-timeout exits
    // the process) is tried again.
    for (int attempt = 1; attempt <= 10; attempt++) {
      try {
        controller.start().awaitReady(Duration.ofMinutes(3));
        return;
      } catch (IllegalStateException e) {
        log.warn("chaos: start {} of the controller failed: {}", attempt, e.getMessage());
        count("controller_start_retried");
        sleep(2000);
      }
    }
    log.error("chaos: the controller did not come back");
    count("controller_failed_restart");
  }

  private void restartPausedNodes() {
    try {
      for (JsonNode node : http.ok("GET", "/control/v1/node", null).json()) {
        if ("PauseForRestart".equals(node.path("scheduling").asString())) {
          fleet.pageserver(node.get("id").asLong()).restart();
          count("pageserver_restart_after_drain");
        }
      }
    } catch (UncheckedIOException | IllegalStateException controllerDown) {
      // Restarting; next round.
    }
  }

  private synchronized void count(String kind) {
    injected.merge(kind, 1L, Long::sum);
  }

  private long jitter(Duration every) {
    return (long) (every.toNanos() * (0.5 + random.nextDouble()));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
