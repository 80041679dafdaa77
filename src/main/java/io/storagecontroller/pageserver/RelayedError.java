package io.storagecontroller.pageserver;

import io.storagecontroller.model.Refusal;

/**
 * A pageserver's failure on a call made on an API caller's behalf, as a refusal to relay (the HTTP
 * edge answers it as Neon's {@code passthrough_api_error} does: see {@code RefusalStatus}).
 */
public final class RelayedError {
  private RelayedError() {}

  public static Refusal of(PageserverException e) {
    return Refusal.relayed(e.status(), e.getMessage());
  }
}
