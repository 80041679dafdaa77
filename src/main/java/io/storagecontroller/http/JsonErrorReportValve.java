package io.storagecontroller.http;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error page for requests it refuses before any handler sees them (a URI that is not
 * UTF-8, an encoded slash or NUL, a request line too long): Neon's {@code {"msg"}} instead of an
 * HTML page. Installed on the host by {@link WebConfig}.
 */
public class JsonErrorReportValve extends ErrorReportValve {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    String reason = known == null ? "error " + status : known.getReasonPhrase();
    String detail = response.getMessage();
    String msg = detail == null || detail.isBlank() ? reason : reason + ": " + detail;
    try {
      response.setContentType("application/json");
      response.setCharacterEncoding(StandardCharsets.UTF_8.name());
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(JSON.writeValueAsString(new ErrorBody(msg)));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The connection is gone or the response committed: nothing more can be said.
    }
  }
}
