package io.storagecontroller.tools.chaos;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TimelineId;
import io.storagecontroller.tools.harness.ControllerHttp;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One client of the soak: creates, deletes, timeline creates, migrations, shard splits and drains
 * chosen by its own seeded random sequence, recording what the controller acknowledged.
 */
final class Workload implements Runnable {
  private static final int DELETE_ATTEMPTS = 5;

  private final ControllerHttp http;
  private final Ledger ledger;
  private final Random random;
  private final List<Long> nodes;
  private final BooleanSupplier running;

  Workload(
      ControllerHttp http, Ledger ledger, long seed, List<Long> nodes, BooleanSupplier running) {
    this.http = http;
    this.ledger = ledger;
    this.random = new Random(seed);
    this.nodes = nodes;
    this.running = running;
  }

  @Override
  public void run() {
    while (running.getAsBoolean()) {
      int dice = random.nextInt(100);
      try {
        if (dice < 30) {
          create();
        } else if (dice < 40) {
          withTenant("delete", this::delete);
        } else if (dice < 60) {
          withTenant("timeline_create", this::timelineCreate);
        } else if (dice < 80) {
          withTenant("migrate", this::migrate);
        } else if (dice < 90) {
          withTenant("split", this::split);
        } else if (dice < 92) {
          drain();
        } else {
          pause();
        }
      } catch (UncheckedIOException e) {
        if (!refused(e)) {
          // The controller died under the call; its outcome is unknown, and it is counted.
          ledger.unanswered(kind(dice));
        }
        pause();
      }
    }
  }

  private void create() {
    TenantId tenant = TenantId.generate();
    int count = random.nextBoolean() ? 0 : 2;
    ControllerHttp.Reply reply;
    try {
      reply =
          http.send(
              "POST",
              "/v1/tenant",
              ("{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":%d,"
                      + "\"stripe_size\":2048},\"placement_policy\":{\"Attached\":1}}")
                  .formatted(tenant, count));
    } catch (UncheckedIOException e) {
      if (!refused(e)) {
        ledger.uncertainCreate(tenant, Math.max(1, count));
      }
      throw e;
    }
    if (reply.status() == 201) {
      ledger.created(tenant, Math.max(1, count));
      ledger.acknowledged("create");
    }
  }

  /**
   * As a control plane does: a delete that answers an error may have begun (the tenant is then
   * Detached), so it is repeated until it answers success or 404; one that never does leaves the
   * tenant's fate unknown.
   */
  private void delete(TenantId tenant) {
    for (int attempt = 1; attempt <= DELETE_ATTEMPTS && running.getAsBoolean(); attempt++) {
      int status;
      try {
        status = http.send("DELETE", "/v1/tenant/" + tenant, null).status();
      } catch (UncheckedIOException e) {
        if (attempt > 1) {
          // An earlier attempt reached the controller and may have begun the delete.
          ledger.uncertain(tenant);
        }
        throw e;
      }
      if (status / 100 == 2 || (status == 404 && attempt > 1)) {
        ledger.deleted(tenant);
        ledger.acknowledged("delete");
        return;
      }
      if (status == 404) {
        return; // never existed as far as the controller is concerned: the verdict says lost
      }
      pause();
    }
    ledger.uncertain(tenant);
  }

  private void timelineCreate(TenantId tenant) {
    ControllerHttp.Reply reply =
        http.send(
            "POST",
            "/v1/tenant/" + tenant + "/timeline",
            "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(TimelineId.generate()));
    if (reply.status() == 201) {
      ledger.acknowledged("timeline_create");
    }
  }

  private void migrate(TenantId tenant) {
    long node = nodes.get(random.nextInt(nodes.size()));
    ControllerHttp.Reply reply =
        http.send(
            "PUT",
            "/control/v1/tenant/" + tenant + "/migrate",
            ("{\"node_id\":%d,\"migration_config\":{\"secondary_warmup_timeout\":\"2s\","
                    + "\"secondary_download_request_timeout\":\"1s\"}}")
                .formatted(node));
    if (reply.status() == 200) {
      ledger.acknowledged("migrate");
    }
  }

  private void split(TenantId tenant) {
    ControllerHttp.Reply reply =
        http.send(
            "PUT", "/control/v1/tenant/" + tenant + "/shard_split", "{\"new_shard_count\":4}");
    if (reply.status() == 200) {
      ledger.shardsNow(tenant, 4);
      ledger.acknowledged("split");
    }
  }

  private void drain() {
    long node = nodes.get(random.nextInt(nodes.size()));
    if (http.send("PUT", "/control/v1/node/" + node + "/drain", "").status() == 202) {
      ledger.acknowledged("drain");
    }
  }

  private void withTenant(String kind, Consumer<TenantId> op) {
    Optional<TenantId> tenant = ledger.reserve(random);
    if (tenant.isEmpty()) {
      return;
    }
    try {
      op.accept(tenant.get());
    } catch (UncheckedIOException e) {
      if (refused(e)) {
        throw e; // never reached the controller: nothing is uncertain
      }
      ledger.unanswered(kind);
      if (kind.equals("delete")) {
        ledger.uncertain(tenant.get());
      }
    } finally {
      ledger.release(tenant.get());
    }
  }

  /** Connection refused: the controller is down and the call never reached it. */
  private static boolean refused(UncheckedIOException e) {
    return e.getCause() instanceof ConnectException;
  }

  private static String kind(int dice) {
    return dice < 30 ? "create" : dice < 90 ? "other" : "drain";
  }

  private void pause() {
    try {
      Thread.sleep(100 + random.nextInt(200));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
