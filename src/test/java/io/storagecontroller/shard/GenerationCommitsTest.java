package io.storagecontroller.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.persistence.SerializableTransactions;
import io.storagecontroller.testing.ControllerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Increments asked for while a group commits go together in the next group, each caller gets its
 * own answer, a group's failure reaches all its callers and no one else, and one shard is never
 * twice in a group.
 */
class GenerationCommitsTest {
  private final SerializableTransactions transactions = mock(SerializableTransactions.class);
  private final TenantShardPersistence persistence = mock(TenantShardPersistence.class);
  private final GenerationCommits commits = new GenerationCommits(transactions, persistence);
  private final ExecutorService callers = Executors.newCachedThreadPool();

  /** The groups the database was asked to commit, in order. */
  private final List<Map<TenantShardId, NodeId>> groups = new CopyOnWriteArrayList<>();

  /** Released to let the first group's transaction finish. */
  private final CountDownLatch firstMayCommit = new CountDownLatch(1);

  @AfterEach
  void stop() {
    firstMayCommit.countDown();
    callers.shutdownNow();
  }

  @Test
  void incrementsAskedForDuringACommitGoTogetherInTheNext() throws Exception {
    database(Map.of());
    TenantShardId first = shard();
    Future<Optional<Generation>> firstAnswer = ask(first, 1);
    awaitGroups(1);
    List<TenantShardId> waiting = new ArrayList<>();
    List<Future<Optional<Generation>>> answers = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      TenantShardId shard = shard();
      waiting.add(shard);
      answers.add(ask(shard, 2 + i));
    }
    awaitQueued(20);

    firstMayCommit.countDown();

    assertThat(firstAnswer.get(30, TimeUnit.SECONDS)).contains(Generation.of(7));
    for (Future<Optional<Generation>> answer : answers) {
      assertThat(answer.get(30, TimeUnit.SECONDS)).contains(Generation.of(7));
    }
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0)).containsOnlyKeys(first);
    assertThat(groups.get(1)).containsOnlyKeys(waiting);
    // Each shard went to the node its caller named.
    for (int i = 0; i < waiting.size(); i++) {
      assertThat(groups.get(1).get(waiting.get(i))).isEqualTo(new NodeId(2 + i));
    }
  }

  @Test
  void aShardTheDatabaseNoLongerHasGetsNoGeneration() throws Exception {
    TenantShardId gone = shard();
    database(Map.of(gone, true));
    firstMayCommit.countDown();
    assertThat(ask(gone, 1).get(30, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void aFailedGroupFailsItsCallersAndTheNextGroupStillCommits() throws Exception {
    TenantShardId first = shard();
    when(transactions.execute(eq("increment_generation"), any()))
        .thenAnswer(
            call -> {
              Supplier<?> work = call.getArgument(1);
              groups.add(Map.of());
              if (groups.size() == 1) {
                firstMayCommit.await(30, TimeUnit.SECONDS);
                throw Refusal.unavailable("this controller is no longer the leader");
              }
              return work.get();
            });
    when(persistence.incrementGenerations(any()))
        .thenAnswer(call -> issuedAll(call.getArgument(0)));
    Future<Optional<Generation>> failing = ask(first, 1);
    awaitGroups(1);
    Future<Optional<Generation>> next = ask(shard(), 2);
    awaitQueued(1);

    firstMayCommit.countDown();

    assertThatThrownBy(() -> failing.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(Refusal.class);
    assertThat(next.get(30, TimeUnit.SECONDS)).contains(Generation.of(7));
  }

  @Test
  void aShardAskedForTwiceGoesInTwoGroups() throws Exception {
    database(Map.of());
    TenantShardId shard = shard();
    Future<Optional<Generation>> blocker = ask(shard(), 1);
    awaitGroups(1);
    Future<Optional<Generation>> once = ask(shard, 2);
    Future<Optional<Generation>> twice = ask(shard, 3);
    awaitQueued(2);

    firstMayCommit.countDown();

    blocker.get(30, TimeUnit.SECONDS);
    assertThat(once.get(30, TimeUnit.SECONDS)).isPresent();
    assertThat(twice.get(30, TimeUnit.SECONDS)).isPresent();
    assertThat(groups).hasSize(3);
    assertThat(groups.get(1)).containsOnlyKeys(shard);
    assertThat(groups.get(2)).containsOnlyKeys(shard);
  }

  /** The database: the first group waits for {@link #firstMayCommit}; every shard gets 7. */
  private void database(Map<TenantShardId, Boolean> gone) {
    when(transactions.execute(eq("increment_generation"), any()))
        .thenAnswer(
            call -> {
              Supplier<?> work = call.getArgument(1);
              return work.get();
            });
    when(persistence.incrementGenerations(any()))
        .thenAnswer(
            call -> {
              Map<TenantShardId, NodeId> group = new HashMap<>(call.getArgument(0));
              groups.add(group);
              if (groups.size() == 1) {
                firstMayCommit.await(30, TimeUnit.SECONDS);
              }
              Map<TenantShardId, Generation> issued = issuedAll(group);
              issued.keySet().removeAll(gone.keySet());
              return issued;
            });
  }

  private static Map<TenantShardId, Generation> issuedAll(Map<TenantShardId, NodeId> group) {
    Map<TenantShardId, Generation> issued = new HashMap<>();
    group.keySet().forEach(shard -> issued.put(shard, Generation.of(7)));
    return issued;
  }

  private Future<Optional<Generation>> ask(TenantShardId shard, long node) {
    return callers.submit(() -> commits.issue(shard, new NodeId(node)));
  }

  private void awaitGroups(int count) {
    ControllerProcess.await(
        Duration.ofSeconds(30), () -> groups.size() >= count, "groups started: " + count);
  }

  private void awaitQueued(int count) {
    ControllerProcess.await(
        Duration.ofSeconds(30),
        () -> commits.queuedCount() == count,
        "increments queued: " + count);
  }

  private static TenantShardId shard() {
    return TenantShardId.unsharded(TenantId.generate());
  }
}
