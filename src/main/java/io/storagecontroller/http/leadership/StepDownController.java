package io.storagecontroller.http.leadership;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.leadership.ObservedSnapshot;
import io.storagecontroller.orchestration.StepDown;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /control/v1/step_down} (peer scope): a candidate takes over (contract 2.4, 7.3). And
 * ours beside it, {@code GET /control/v1/observed_state}: the candidate reads the observed state
 * while this controller still leads, so that the step-down answers only what changed since (with
 * {@link ObservedSnapshot#SINCE_HEADER}); a Neon candidate, which does not send it, gets all of it.
 */
@RestController
public class StepDownController {
  private final StepDown stepDown;

  public StepDownController(StepDown stepDown) {
    this.stepDown = stepDown;
  }

  @PutMapping("/control/v1/step_down")
  @RequestName("control_v1_step_down")
  ResponseEntity<Map<String, StepDown.ObservedShard>> stepDown(
      @RequestHeader(name = ObservedSnapshot.SINCE_HEADER, required = false) String since) {
    StepDown.Observed answer = stepDown.stepDown(Optional.ofNullable(since));
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
    if (!answer.mark().isEmpty()) {
      ok.header(ObservedSnapshot.DELTA_HEADER, answer.mark());
    }
    return ok.body(answer.shards());
  }

  @GetMapping("/control/v1/observed_state")
  @RequestName("control_v1_observed_state")
  ResponseEntity<Map<String, StepDown.ObservedShard>> observedState() {
    StepDown.Observed now = stepDown.observedNow();
    return ResponseEntity.ok().header(ObservedSnapshot.MARK_HEADER, now.mark()).body(now.shards());
  }
}
