package io.storagecontroller.workflows.archfixture;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/** Everything workflow code must not do; the architecture test proves its rule catches each. */
public final class ImpureWorkflow {
  public String run() throws InterruptedException {
    long started = System.currentTimeMillis();
    Thread.sleep(1);
    return URI.create("http://pageserver").toString() + UUID.randomUUID() + Instant.now() + started;
  }
}
