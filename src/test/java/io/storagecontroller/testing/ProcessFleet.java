package io.storagecontroller.testing;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import io.storagecontroller.tools.simulator.SimulatorOptions;
import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Simulated pageservers for a controller process: nodes 1..n in one zone, all Active on return. */
public final class ProcessFleet {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private ProcessFleet() {}

  public static PageserverFleet start(ControllerProcess controller, int pageservers) {
    return start(controller, pageservers, UnaryOperator.identity());
  }

  /** As {@link #start(ControllerProcess, int)}, with the simulator's options changed. */
  public static PageserverFleet start(
      ControllerProcess controller, int pageservers, UnaryOperator<SimulatorOptions> options) {
    PageserverFleet fleet =
        PageserverFleet.start(
            options.apply(
                SimulatorOptions.defaults()
                    .withPageservers(pageservers)
                    .withFirstNodeId(1)
                    .withAvailabilityZone(n -> "az-a")
                    .withController(URI.create(controller.url()))));
    ApiClient api = controller.api();
    for (SimulatedPageserver ps : fleet.pageservers()) {
      ControllerProcess.await(
          DEADLINE, () -> availability(api, ps.nodeId()).equals("Active"), "node active");
    }
    return fleet;
  }

  /** The node's availability as the controller describes it. */
  public static String availability(ApiClient api, NodeId node) {
    return api.get("/control/v1/node/" + node).json().path("availability").asString();
  }
}
