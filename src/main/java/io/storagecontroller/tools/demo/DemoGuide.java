package io.storagecontroller.tools.demo;

import io.storagecontroller.tools.simulator.PageserverFleet;
import io.storagecontroller.tools.simulator.SimulatedPageserver;
import java.io.PrintWriter;
import java.util.List;

/**
 * What the demo prints once it is up: where everything listens and the commands to try, each a line
 * of its own that runs as printed (the demo's test runs them).
 */
final class DemoGuide {
  private DemoGuide() {}

  static void print(PrintWriter out, String url, PageserverFleet fleet, List<String> tenants) {
    long first = fleet.pageservers().get(0).nodeId().value();
    String some = tenants.isEmpty() ? "<tenant id>" : tenants.get(Math.min(1, tenants.size() - 1));
    out.println();
    out.println("storage_controller demo is running (auth off).");
    out.println();
    out.println("  controller    " + url + "   (OpenAPI: " + url + "/v3/api-docs)");
    for (SimulatedPageserver ps : fleet.pageservers()) {
      out.println("  pageserver " + ps.nodeId() + "  " + ps.baseUrl());
    }
    out.println("  simulator     " + fleet.controlUrl() + "   (fault injection)");
    for (String tenant : tenants) {
      out.println("  tenant        " + tenant);
    }
    out.println();
    out.println("Try (in another terminal):");
    out.println();
    out.println("  export STORCON_API=" + url);
    out.println("  bin/storcon nodes");
    out.println("  bin/storcon tenants");
    out.println("  bin/storcon tenant-describe --tenant-id " + some);
    out.println("  bin/storcon node-drain --node-id " + first + " --wait");
    out.println("  bin/storcon node-configure --node-id " + first + " --scheduling active");
    out.println("  bin/storcon node-fill --node-id " + first + " --wait");
    out.println("  bin/storcon operations");
    out.println("  bin/storcon consistency-check");
    out.println();
    out.println("Make pageserver " + (first + 1) + " fail and watch its shards being evacuated:");
    out.println();
    out.println(
        "  curl -s -XPUT "
            + fleet.controlUrl()
            + "/simulator/v1/pageservers/"
            + (first + 1)
            + "/fault -H 'Content-Type: application/json' -d '{\"kind\":\"down\"}'");
    out.println("  bin/storcon operations            # the evacuate operation and its id");
    out.println("  bin/storcon operations watch <id>");
    out.println();
    out.println(
        "Temporal UI: the demo runs Temporal in-process, which has no UI. `docker compose up`"
            + " runs the stack with a Temporal server and its UI on http://127.0.0.1:8080, where"
            + " the workflow id from `bin/storcon operations show <id>` finds an operation.");
    out.println();
    out.println("Stop the demo with Ctrl-C.");
    out.flush();
  }
}
