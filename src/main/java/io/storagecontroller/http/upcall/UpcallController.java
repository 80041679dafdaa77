package io.storagecontroller.http.upcall;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.upcall.ReAttachRequest;
import io.storagecontroller.upcall.ReAttachResponse;
import io.storagecontroller.upcall.UpcallService;
import io.storagecontroller.upcall.ValidateRequest;
import io.storagecontroller.upcall.ValidateResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /upcall/v1}: called by pageservers ({@code control_plane_api} in pageserver.toml). */
@RestController
public class UpcallController {
  private final UpcallService upcalls;

  public UpcallController(UpcallService upcalls) {
    this.upcalls = upcalls;
  }

  @PostMapping("/upcall/v1/re-attach")
  @RequestName("upcall_v1_reattach")
  ReAttachResponse reAttach(@RequestBody ReAttachRequest request) {
    return upcalls.reAttach(request);
  }

  @PostMapping("/upcall/v1/validate")
  @RequestName("upcall_v1_validate")
  ValidateResponse validate(@RequestBody ValidateRequest request) {
    return upcalls.validate(request);
  }
}
