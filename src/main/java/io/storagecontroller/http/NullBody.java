package io.storagecontroller.http;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Neon handlers that return nothing answer the JSON literal {@code null}, not an empty body. */
public final class NullBody {
  private NullBody() {}

  public static ResponseEntity<String> ok() {
    return status(HttpStatus.OK);
  }

  public static ResponseEntity<String> status(HttpStatus status) {
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body("null");
  }
}
