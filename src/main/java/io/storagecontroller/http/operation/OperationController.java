package io.storagecontroller.http.operation;

import io.storagecontroller.http.RequestName;
import io.storagecontroller.model.Refusal;
import io.storagecontroller.operation.Operation;
import io.storagecontroller.orchestration.OperationService;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operations API for operators: what long operations ran or run, with their progress and the
 * workflow id to look up in the Temporal UI; cancel and retry.
 */
@RestController
public class OperationController {
  static final int MAX_LIMIT = 1000;

  private final OperationService service;

  public OperationController(OperationService service) {
    this.service = service;
  }

  @GetMapping("/control/v1/operations")
  @RequestName("control_v1_operations")
  List<Operation> list(@RequestParam(name = "limit", required = false) Integer limit) {
    if (limit != null && (limit <= 0 || limit > MAX_LIMIT)) {
      throw Refusal.badRequest("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    int n = limit == null ? 100 : limit;
    return service.recent(n);
  }

  @GetMapping("/control/v1/operations/{id}")
  @RequestName("control_v1_operation")
  Operation get(@PathVariable("id") long id) {
    return service.get(id);
  }

  /** 202: the workflow stops at its next step boundary; poll the operation for the outcome. */
  @PostMapping("/control/v1/operations/{id}/cancel")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @RequestName("control_v1_operation_cancel")
  Operation cancel(@PathVariable("id") long id) {
    return service.cancel(id);
  }

  /** 202 with the new operation that re-runs a failed or cancelled one. */
  @PostMapping("/control/v1/operations/{id}/retry")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @RequestName("control_v1_operation_retry")
  Operation retry(@PathVariable("id") long id) {
    return service.retry(id);
  }
}
