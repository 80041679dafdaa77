package io.storagecontroller.tenant;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.DeletionProgress;
import io.storagecontroller.pageserver.PageserverClient;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import io.storagecontroller.pageserver.RelayedError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Component;

/**
 * Deletes a detached tenant's remote data through any available pageserver: every shard but shard 0
 * at once, shard 0 last (so a deletion cut short never leaves shard 0 gone and the others behind),
 * each polled until the pageserver answers that nothing is left.
 */
@Component
public class RemoteTenantDeletion {
  /** Neon: 30 s for the whole remote deletion. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private final NodeService nodes;
  private final PageserverClients clients;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "tenant-delete");
            t.setDaemon(true);
            return t;
          });

  public RemoteTenantDeletion(NodeService nodes, PageserverClients clients) {
    this.nodes = nodes;
    this.clients = clients;
  }

  /**
   * Shards in shard order (shard 0 first). Fails over to another node when one cannot be reached.
   */
  public void delete(List<TenantShardId> shards) {
    Instant deadline = Instant.now().plus(PATIENCE);
    PageserverException unreachable = null;
    for (NodeId node : nodes.availableNodes().stream().sorted().toList()) {
      try {
        deleteThrough(clients.client(node), shards, deadline);
        return;
      } catch (PageserverException e) {
        if (e.status() != 0) {
          throw RelayedError.of(e);
        }
        // Availability lags a failure by up to one heartbeat grace: try the next node.
        unreachable = e;
      }
    }
    throw Refusal.unavailable(
        "no reachable pageserver to delete remote data with"
            + (unreachable == null ? "" : ": " + unreachable.getMessage()));
  }

  private void deleteThrough(
      PageserverClient client, List<TenantShardId> shards, Instant deadline) {
    List<CompletableFuture<Void>> others = new ArrayList<>();
    for (TenantShardId shard : shards.subList(1, shards.size())) {
      others.add(CompletableFuture.runAsync(() -> deleteOne(client, shard, deadline), pool));
    }
    try {
      others.forEach(CompletableFuture::join);
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    deleteOne(client, shards.get(0), deadline);
  }

  private static void deleteOne(PageserverClient client, TenantShardId shard, Instant deadline) {
    while (true) {
      DeletionProgress progress = client.tenantDelete(shard);
      if (progress == DeletionProgress.DONE) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw Refusal.unavailable(
            "remote deletion of " + shard + " still running; retry the delete");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Refusal.shuttingDown();
      }
    }
  }
}
