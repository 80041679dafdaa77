package io.storagecontroller.failpoint;

import io.storagecontroller.http.ApiError;

/** What a failpoint does when reached; the subset of Neon's (fail crate) actions tests need. */
enum FailpointAction {
  OFF,
  /** Fail the step, as if it had gone wrong. */
  RETURN,
  /** Stop there until the failpoint is changed (tests kill the process meanwhile). */
  PAUSE;

  static FailpointAction parse(String actions) {
    String text = actions == null ? "" : actions.trim();
    if (text.equals("off")) {
      return OFF;
    }
    if (text.equals("pause")) {
      return PAUSE;
    }
    // Neon's "return(value)" carries a value for the code at the failpoint; ours ignore it.
    if (text.equals("return") || (text.startsWith("return(") && text.endsWith(")"))) {
      return RETURN;
    }
    throw ApiError.badRequest(
        "unsupported failpoint action '" + text + "': expected off, return or pause");
  }
}
