package io.storagecontroller.http.leadership;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.orchestration.StepDown;
import java.util.Map;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code PUT /control/v1/step_down} (peer scope): a candidate takes over (contract 2.4, 7.3). */
@RestController
public class StepDownController {
  private final StepDown stepDown;

  public StepDownController(StepDown stepDown) {
    this.stepDown = stepDown;
  }

  @PutMapping("/control/v1/step_down")
  @RequestName("control_v1_step_down")
  Map<String, StepDown.ObservedShard> stepDown() {
    return stepDown.stepDown();
  }
}
