package io.storagecontroller.tools.bench;

import io.storagecontroller.model.TenantId;
import io.storagecontroller.persistence.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generation issuance through the controller (the debug attach-hook: a SERIALIZABLE transaction,
 * Postgres before memory) against the raw rate of the same single-row {@code UPDATE ... RETURNING}
 * over JDBC on the same database with the same concurrency: how close the controller gets to the
 * database's ceiling.
 */
final class GenerationCeiling {
  private GenerationCeiling() {}

  static void measure(
      Bench bench, EmbeddedDatabase database, long node, int clients, Duration duration) {
    // The phase before may still be reconciling (a restart's scan, a create's secondaries): its
    // work would count in the CPU per generation and slow the generations down.
    bench.awaitIdle();
    List<TenantId> shards = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      TenantId tenant = TenantId.generate();
      shards.add(tenant);
      bench.http.ok("POST", "/debug/v1/attach-hook", hook(tenant, node));
    }
    AtomicLong next = new AtomicLong();
    AtomicLong issued = new AtomicLong();
    long cpu = bench.cpuMillis();
    long end = System.nanoTime() + duration.toNanos();
    Bench.runClients(
        clients,
        () -> {
          if (System.nanoTime() > end) {
            return false;
          }
          TenantId tenant = shards.get((int) (next.getAndIncrement() % clients));
          bench.http.ok("POST", "/debug/v1/attach-hook", hook(tenant, node));
          issued.incrementAndGet();
          return true;
        });
    double cpuPerGeneration = (bench.cpuMillis() - cpu) / (double) Math.max(1, issued.get());
    double api = issued.get() / (duration.toMillis() / 1000.0);
    double raw = raw(database, shards, node, clients, duration);
    Map<String, Object> p = Map.of("clients", clients, "duration_s", duration.toSeconds());
    bench.add("generations_via_controller", api, "generations/s", p);
    bench.add("generations_raw_sql", raw, "updates/s", p);
    bench.add("generation_rate_vs_database_ceiling", api / raw, "ratio", p);
    bench.add("cpu_ms_per_generation", cpuPerGeneration, "ms", p);
    for (TenantId tenant : shards) {
      bench.http.ok(
          "POST",
          "/debug/v1/attach-hook",
          "{\"tenant_shard_id\":\"%s\",\"node_id\":null}".formatted(tenant));
    }
  }

  private static String hook(TenantId tenant, long node) {
    return "{\"tenant_shard_id\":\"%s\",\"node_id\":%d}".formatted(tenant, node);
  }

  private static double raw(
      EmbeddedDatabase database, List<TenantId> shards, long node, int clients, Duration duration) {
    AtomicLong updates = new AtomicLong();
    AtomicLong next = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    ThreadLocal<PreparedStatement> statements = new ThreadLocal<>();
    List<Connection> connections = new ArrayList<>();
    Bench.runClients(
        clients,
        () -> {
          if (System.nanoTime() > end) {
            return false;
          }
          try {
            PreparedStatement update = statements.get();
            if (update == null) {
              Connection connection =
                  DriverManager.getConnection(
                      database.jdbcUrl(), database.username(), database.password());
              synchronized (connections) {
                connections.add(connection);
              }
              update =
                  connection.prepareStatement(
                      "UPDATE tenant_shards SET generation = generation + 1,"
                          + " generation_pageserver = ? WHERE tenant_id = ? AND shard_number = 0"
                          + " AND shard_count = 0 RETURNING generation");
              statements.set(update);
            }
            update.setLong(1, node);
            update.setString(2, shards.get((int) (next.getAndIncrement() % clients)).toString());
            try (ResultSet rs = update.executeQuery()) {
              rs.next();
            }
            updates.incrementAndGet();
            return true;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
    for (Connection connection : connections) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing at the end of the phase.
      }
    }
    return updates.get() / (duration.toMillis() / 1000.0);
  }
}
