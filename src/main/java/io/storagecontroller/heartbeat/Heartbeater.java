package io.storagecontroller.heartbeat;

import io.storagecontroller.config.ControllerProperties;
import io.storagecontroller.model.NodeAvailability;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.node.Node;
import io.storagecontroller.node.NodeService;
import io.storagecontroller.pageserver.PageserverClients;
import io.storagecontroller.pageserver.PageserverException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Polls every node's {@code /v1/utilization} concurrently each {@code --heartbeat-interval}. A node
 * that answers is Active; one that has not answered for {@code --max-offline-interval} (longer
 * while warming up after re-attach) is Offline. All availability changes of a round are applied
 * together, after every heartbeat of the round finished (Neon's #9281: never act on half a
 * picture).
 */
@Component
public class Heartbeater implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(Heartbeater.class);

  private final NodeService nodes;
  private final PageserverClients clients;
  private final ControllerProperties properties;
  private final Map<NodeId, Instant> lastSuccess = new ConcurrentHashMap<>();

  /** Created on start, so a stopped heartbeater (e.g. a paused test context) can start again. */
  private ExecutorService calls;

  private ScheduledExecutorService ticker;

  public Heartbeater(
      NodeService nodes, PageserverClients clients, ControllerProperties properties) {
    this.nodes = nodes;
    this.clients = clients;
    this.properties = properties;
  }

  /**
   * One round: heartbeat every node, applying each answer as it comes. A node that answers is
   * marked available at once, not when the round's slowest call (a dead node's timeout) ends: the
   * sooner the controller knows a node is back, the sooner it stops attaching its shards elsewhere.
   */
  public void round() {
    ExecutorService calls = this.calls;
    if (calls == null) {
      return; // stopped
    }
    Instant now = Instant.now();
    List<Node> all = nodes.list();
    List<CompletableFuture<Void>> answers = new ArrayList<>(all.size());
    for (Node node : all) {
      answers.add(
          CompletableFuture.supplyAsync(() -> beat(node.id()), calls)
              .thenAccept(ok -> apply(node, ok, now)));
    }
    answers.forEach(CompletableFuture::join);
  }

  private void apply(Node node, boolean ok, Instant now) {
    if (ok) {
      lastSuccess.put(node.id(), now);
      nodes.setAvailability(node.id(), NodeAvailability.ACTIVE);
      return;
    }
    Instant since = lastSuccess.computeIfAbsent(node.id(), id -> now);
    Duration grace =
        node.availability() == NodeAvailability.WARMING_UP
            ? properties.maxWarmingUpInterval()
            : properties.maxOfflineInterval();
    if (Duration.between(since, now).compareTo(grace) >= 0) {
      nodes.setAvailability(node.id(), NodeAvailability.OFFLINE);
    }
  }

  private boolean beat(NodeId node) {
    try {
      clients.client(node).utilization();
      return true;
    } catch (PageserverException e) {
      log.debug("heartbeat to node {} failed: {}", node, e.getMessage());
      return false;
    } catch (RuntimeException e) {
      log.warn("heartbeat to node {} failed unexpectedly", node, e);
      return false;
    }
  }

  @Override
  public synchronized void start() {
    calls =
        Executors.newFixedThreadPool(
            16,
            r -> {
              Thread t = new Thread(r, "heartbeat");
              t.setDaemon(true);
              return t;
            });
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "heartbeater");
              t.setDaemon(true);
              return t;
            });
    long period = properties.heartbeatInterval().toMillis();
    ticker.scheduleWithFixedDelay(
        () -> {
          try {
            round();
          } catch (RuntimeException e) {
            log.error("heartbeat round failed", e);
          }
        },
        0,
        period,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
    if (calls != null) {
      calls.shutdownNow();
      calls = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return ticker != null;
  }
}
