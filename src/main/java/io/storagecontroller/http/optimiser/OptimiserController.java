package io.storagecontroller.http.optimiser;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.optimiser.Optimiser;
import io.storagecontroller.orchestration.BackgroundOptimiser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The background optimiser for operators (not in Neon's API, which has no switch for it): whether
 * it runs, whether it is paused and why its passes plan nothing; {@code PUT} pauses or resumes it.
 * A pause is stored in the database, so it survives restarts and leadership changes.
 */
@RestController
public class OptimiserController {
  private final BackgroundOptimiser background;
  private final Optimiser optimiser;

  public OptimiserController(BackgroundOptimiser background, Optimiser optimiser) {
    this.background = background;
    this.optimiser = optimiser;
  }

  /**
   * @param enabled whether {@code --optimiser-interval} turned it on
   * @param interval seconds between passes that find nothing to do
   * @param idleBecause why a pass now would plan nothing (paused, a drain running, ...), or null
   */
  public record OptimiserStatus(
      boolean enabled, long interval, boolean paused, String idleBecause) {}

  @GetMapping("/control/v1/optimiser")
  @RequestName("control_v1_optimiser")
  OptimiserStatus status() {
    return new OptimiserStatus(
        background.enabled(),
        background.interval().toSeconds(),
        optimiser.paused(),
        background.enabled() ? optimiser.idleBecause() : "disabled by --optimiser-interval 0s");
  }

  @PutMapping("/control/v1/optimiser")
  @RequestName("control_v1_optimiser_config")
  OptimiserStatus configure(@RequestBody JsonNode request) {
    JsonNode paused = request.path("paused");
    if (!paused.isBoolean()) {
      throw Refusal.badRequest(
          "expected {\"paused\": true|false} (true pauses the optimiser, false resumes it)");
    }
    background.setPaused(paused.asBoolean());
    return status();
  }
}
