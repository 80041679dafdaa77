package io.storagecontroller.leadership;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --start-as-candidate} (Neon's rolling deploy): ask the leader recorded in the database to
 * step down, then take the leader lock it gives up. A leader that does not answer or does not let
 * go within {@link #STEP_DOWN_WAIT} (frozen, partitioned) has its lock session ended: the new term
 * fences whatever it still tries, and it steps down when it finds the lock gone.
 */
final class Candidacy {
  private static final Logger log = LoggerFactory.getLogger(Candidacy.class);

  /** Neon gives a step-down 10 s before declaring itself leader anyway. */
  static final Duration STEP_DOWN_WAIT = Duration.ofSeconds(10);

  /** How long the lock is retried while the database cannot be reached. */
  static final Duration DATABASE_WAIT = Duration.ofSeconds(60);

  /** How often the lock is tried while the leader steps down (a cheap query). */
  private static final Duration LOCK_POLL = Duration.ofMillis(20);

  private Candidacy() {}

  /** The lock taken, and what the previous leader had observed if it said (read meanwhile). */
  record Outcome(LeaderLock lock, CompletableFuture<Optional<ObservedSnapshot>> snapshot) {}

  static Outcome takeOver(
      DataSource dataSource,
      String self,
      String peerToken,
      Consumer<ObservedSnapshot> observedAhead) {
    Optional<String> leader = recordedLeader(dataSource);
    // The leader gives up its lock before it writes its (large) answer: the lock is polled while
    // the answer arrives, and the answer is read and parsed meanwhile.
    CompletableFuture<Optional<ObservedSnapshot>> snapshot =
        CompletableFuture.completedFuture(Optional.empty());
    if (leader.isPresent() && !leader.get().equals(self)) {
      String address = leader.get();
      // Read while the leader still leads, so that its step-down answers only what changed since.
      Optional<ReadAhead> ahead = readObservedAhead(address, peerToken);
      ahead.ifPresent(a -> observedAhead.accept(a.snapshot()));
      snapshot =
          CompletableFuture.supplyAsync(
                  () -> askToStepDown(address, peerToken, ahead.map(ReadAhead::mark)))
              .thenApply(answer -> answer.flatMap(a -> a.read(ahead)));
    } else {
      log.info("candidate: no other leader recorded; taking the lock");
    }
    Instant deadline = Instant.now().plus(STEP_DOWN_WAIT);
    Instant patience = Instant.now().plus(DATABASE_WAIT);
    while (true) {
      try {
        return new Outcome(LeaderLock.acquire(dataSource), snapshot);
      } catch (IllegalStateException unreachable) {
        // The leader may have stepped down already: giving up on a database that restarts or
        // fails over would leave no leader at all.
        if (Instant.now().isAfter(patience)) {
          throw unreachable;
        }
        log.warn("candidate: cannot take the lock yet, retrying: {}", unreachable.getMessage());
      } catch (AnotherControllerRunning held) {
        if (Instant.now().isAfter(deadline)) {
          int ended = LeaderLock.terminateHolders(dataSource);
          log.warn(
              "candidate: the previous leader kept the lock for {}; ended {} of its sessions",
              STEP_DOWN_WAIT,
              ended);
          // It did not let go: what it said it had observed may have changed since.
          return new Outcome(
              LeaderLock.acquire(dataSource), CompletableFuture.completedFuture(Optional.empty()));
        }
      }
      try {
        Thread.sleep(LOCK_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the leader lock", e);
      }
    }
  }

  /** The address in Neon's {@code controllers} row; empty on a first start (no table yet). */
  private static Optional<String> recordedLeader(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection();
        Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT address FROM controllers ORDER BY started_at DESC LIMIT 1")) {
      return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
    } catch (SQLException noTableYet) {
      return Optional.empty();
    }
  }

  /** The leader's observed state read ahead of the step-down, and the mark it was taken at. */
  record ReadAhead(String mark, ObservedSnapshot snapshot) {}

  /**
   * The step-down's answer: the whole observed state, or (the leader said so in {@link
   * ObservedSnapshot#DELTA_HEADER}) only the shards changed since the read ahead's mark.
   */
  record StepDownAnswer(String body, Optional<String> deltaSince) {
    Optional<ObservedSnapshot> read(Optional<ReadAhead> ahead) {
      if (deltaSince.isEmpty()) {
        return ObservedSnapshot.parseTimed(body, "snapshot");
      }
      if (ahead.isEmpty() || !ahead.get().mark().equals(deltaSince.get())) {
        log.warn(
            "candidate: a step-down delta since {} matches no read ahead; scanning", deltaSince);
        return Optional.empty();
      }
      return ObservedSnapshot.parseTimed(body, "changes since the read ahead")
          .map(changes -> ahead.get().snapshot().updatedBy(changes));
    }
  }

  /** The leader's observed state, read and parsed while it still leads; empty if it cannot say. */
  private static Optional<ReadAhead> readObservedAhead(String leader, String peerToken) {
    long start = System.nanoTime();
    try {
      HttpResponse<String> response =
          send(request(leader, "/control/v1/observed_state", peerToken).GET());
      Optional<String> mark = response.headers().firstValue(ObservedSnapshot.MARK_HEADER);
      if (response.statusCode() != 200 || mark.isEmpty()) {
        log.info(
            "candidate: the leader at {} answered {} for its observed state: asking for all of it"
                + " at the step-down",
            leader,
            response.statusCode());
        return Optional.empty();
      }
      Optional<ReadAhead> read =
          ObservedSnapshot.parse(response.body()).map(s -> new ReadAhead(mark.get(), s));
      log.info(
          "candidate: read the leader's observed state ahead ({} shards, mark {}) in {} ms",
          read.map(r -> r.snapshot().shards()).orElse(0),
          mark.get(),
          (System.nanoTime() - start) / 1_000_000);
      return read;
    } catch (IOException e) {
      log.warn("candidate: could not read the leader's observed state ahead: {}", e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the leader's observed state", e);
    }
  }

  /** The leader's answer (its observed state, or what changed since) when it stepped down. */
  private static Optional<StepDownAnswer> askToStepDown(
      String leader, String peerToken, Optional<String> since) {
    HttpRequest.Builder request =
        request(leader, "/control/v1/step_down", peerToken)
            .PUT(HttpRequest.BodyPublishers.noBody());
    since.ifPresent(mark -> request.header(ObservedSnapshot.SINCE_HEADER, mark));
    try {
      HttpResponse<String> response = send(request);
      if (response.statusCode() == 200) {
        Optional<String> delta = response.headers().firstValue(ObservedSnapshot.DELTA_HEADER);
        log.info(
            "candidate: the leader at {} stepped down{}",
            leader,
            delta.map(m -> "; it answered what changed since " + m).orElse(""));
        return Optional.of(new StepDownAnswer(response.body(), delta));
      } else {
        log.warn(
            "candidate: the leader at {} answered {} to step_down: {}",
            leader,
            response.statusCode(),
            response.body());
      }
    } catch (IOException e) {
      log.warn("candidate: the leader at {} did not answer step_down: {}", leader, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the leader to step down", e);
    }
    return Optional.empty();
  }

  private static HttpRequest.Builder request(String leader, String path, String peerToken) {
    URI uri = URI.create(leader.replaceAll("/+$", "") + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(STEP_DOWN_WAIT);
    if (peerToken != null && !peerToken.isBlank()) {
      request.header("Authorization", "Bearer " + peerToken);
    }
    return request;
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
