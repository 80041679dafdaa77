package io.storagecontroller.http;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Neon's error body: {@code {"msg": "..."}}. */
public record ErrorBody(String msg) {
  public static ResponseEntity<ErrorBody> response(HttpStatusCode status, String msg) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(new ErrorBody(msg));
  }
}
