package io.storagecontroller.http;

import java.nio.charset.StandardCharsets;

/**
 * One request that a correct controller must refuse: what the fuzzer sends, and what was wrong with
 * it (for the report when it is not refused properly).
 */
record BadRequest(String what, String method, String path, byte[] body, String contentType) {

  @Override
  public String toString() {
    String shown = "";
    if (body != null) {
      String text = new String(body, StandardCharsets.UTF_8);
      shown =
          text.length() > 300
              ? " body(" + body.length + " bytes)=" + text.substring(0, 300) + "..."
              : " body=" + text;
    }
    String shownPath = path.length() > 300 ? path.substring(0, 300) + "..." : path;
    return what
        + ": "
        + method
        + " "
        + shownPath
        + shown
        + (contentType == null ? " (no content type)" : " (" + contentType + ")");
  }
}
