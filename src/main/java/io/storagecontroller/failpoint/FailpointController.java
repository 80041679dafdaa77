package io.storagecontroller.failpoint;

import io.storagecontroller.http.ApiError;
import io.storagecontroller.http.NullBody;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code PUT /debug/v1/failpoints} (no request name in Neon, so none here). */
@RestController
public class FailpointController {
  private final Failpoints failpoints;

  public FailpointController(Failpoints failpoints) {
    this.failpoints = failpoints;
  }

  /** {@code [{"name": ..., "actions": "return" | "pause" | "off"}]}. */
  public record FailpointConfig(String name, String actions) {}

  @PutMapping("/debug/v1/failpoints")
  ResponseEntity<String> configure(@RequestBody List<FailpointConfig> configs) {
    if (configs == null) {
      throw ApiError.badRequest("expected a list of failpoints");
    }
    for (FailpointConfig config : configs) {
      failpoints.configure(config.name(), config.actions());
    }
    return NullBody.ok();
  }
}
