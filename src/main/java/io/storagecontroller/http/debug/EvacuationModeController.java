package io.storagecontroller.http.debug;

import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.orchestration.DirectEvacuation;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Beyond Neon, for the benchmark: {@code PUT /debug/v1/evacuation_mode {"direct": true}} runs
 * evacuations without Temporal to measure what the workflow path costs.
 */
@RestController
public class EvacuationModeController {
  private final DirectEvacuation direct;

  public EvacuationModeController(DirectEvacuation direct) {
    this.direct = direct;
  }

  /** {@code {"direct": bool}}. */
  public record EvacuationMode(Boolean direct) {}

  @PutMapping("/debug/v1/evacuation_mode")
  @RequestName("debug_v1_evacuation_mode")
  ResponseEntity<String> set(@RequestBody EvacuationMode mode) {
    if (mode.direct() == null) {
      throw Refusal.badRequest("missing field `direct`");
    }
    direct.setEnabled(mode.direct());
    return NullBody.ok();
  }
}
