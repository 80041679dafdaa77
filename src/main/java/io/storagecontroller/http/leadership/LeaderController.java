package io.storagecontroller.http.leadership;

import io.storagecontroller.http.NullBody;
import io.storagecontroller.http.RequestName;
import io.storagecontroller.leadership.Leadership;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /control/v1/leader}: the leader recorded in the database (contract section 2.4). */
@RestController
public class LeaderController {
  private final Leadership leadership;

  public LeaderController(Leadership leadership) {
    this.leadership = leadership;
  }

  /** Neon's {@code ControllerPersistence} row, as RFC 3339 in UTC. */
  public record LeaderResponse(String address, String startedAt) {}

  @GetMapping("/control/v1/leader")
  @RequestName("control_v1_get_leader")
  ResponseEntity<?> leader() {
    return leadership
        .leader()
        .<ResponseEntity<?>>map(
            l ->
                ResponseEntity.ok(
                    new LeaderResponse(
                        l.address(),
                        l.startedAt()
                            .withOffsetSameInstant(ZoneOffset.UTC)
                            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))))
        .orElseGet(NullBody::ok);
  }
}
