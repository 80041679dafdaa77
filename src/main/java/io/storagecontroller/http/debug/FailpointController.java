package io.storagecontroller.http.debug;

import io.storagecontroller.failpoint.FailpointConfig;
import io.storagecontroller.failpoint.Failpoints;
import io.storagecontroller.http.NullBody;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /debug/v1/failpoints} (contract section 2.5): configures failpoints; 200 {@code null},
 * or 400 when they are disabled or an action cannot be parsed.
 */
@RestController
public class FailpointController {
  private final Failpoints failpoints;

  public FailpointController(Failpoints failpoints) {
    this.failpoints = failpoints;
  }

  @PutMapping("/debug/v1/failpoints")
  ResponseEntity<String> configure(@RequestBody List<FailpointConfig> request) {
    failpoints.configure(request);
    return NullBody.ok();
  }
}
