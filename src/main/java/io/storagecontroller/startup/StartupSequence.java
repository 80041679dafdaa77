package io.storagecontroller.startup;

import io.storagecontroller.node.NodeService;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** What runs once the service is up: load the durable state into memory, then report ready. */
@Component
public class StartupSequence {
  private final NodeService nodes;
  private final Readiness readiness;

  public StartupSequence(NodeService nodes, Readiness readiness) {
    this.nodes = nodes;
    this.readiness = readiness;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void onReady() {
    nodes.load();
    readiness.markReady();
  }
}
