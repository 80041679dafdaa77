package io.storagecontroller.http.debug;

import io.storagecontroller.debug.ConsistencyCheck;
import io.storagecontroller.http.ErrorBody;
import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.reconcile.ReconcileSweep;
import io.storagecontroller.scheduler.SchedulerDump;
import io.storagecontroller.shard.ShardStore;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /debug/v1}: support routes for tests and operators. */
@RestController
public class DebugController {
  private final ReconcileSweep sweep;
  private final ShardStore store;
  private final ConsistencyCheck consistency;

  public DebugController(ReconcileSweep sweep, ShardStore store, ConsistencyCheck consistency) {
    this.sweep = sweep;
    this.store = store;
    this.consistency = consistency;
  }

  /**
   * 200 {@code null} when memory, database and scheduler agree; 500 naming every mismatch
   * otherwise.
   */
  @PostMapping("/debug/v1/consistency_check")
  @RequestName("debug_v1_consistency_check")
  ResponseEntity<?> consistencyCheck() {
    List<String> problems = consistency.run();
    if (problems.isEmpty()) {
      return NullBody.ok();
    }
    return ErrorBody.response(
        HttpStatus.INTERNAL_SERVER_ERROR,
        "consistency check failed: " + String.join("; ", problems));
  }

  /**
   * Runs the reconcile sweep now; answers how many reconciles it started plus how many shards are
   * still being moved (0: idle).
   */
  @PostMapping("/debug/v1/reconcile_all")
  int reconcileAll() {
    return sweep.reconcileAll();
  }

  @GetMapping("/debug/v1/scheduler")
  @RequestName("debug_v1_scheduler")
  SchedulerDump scheduler() {
    return store.scheduler().dump();
  }
}
