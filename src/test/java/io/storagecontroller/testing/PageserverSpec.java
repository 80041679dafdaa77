package io.storagecontroller.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Neon's pageserver OpenAPI spec as a validator of recorded HTTP exchanges. */
public final class PageserverSpec {
  /**
   * Real pageservers send more TimelineInfo, utilization and tenant fields than the (stale) spec
   * lists, and the controller reads some of them; extra properties are therefore allowed.
   */
  private static final OpenApiInteractionValidator SPEC =
      OpenApiInteractionValidator.createForSpecificationUrl(
              PageserverSpec.class.getResource("/contract/pageserver-openapi.yml").toString())
          .withLevelResolver(
              LevelResolver.create()
                  .withLevel(
                      "validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
                  .build())
          .build();

  private PageserverSpec() {}

  /** The spec's complaints about one exchange, less the documented tolerances. */
  public static List<String> problems(RecordingProxy.Exchange e) {
    List<String> problems = new ArrayList<>();
    for (ValidationReport.Message m : SPEC.validate(request(e), response(e)).getMessages()) {
      if (m.getLevel() == ValidationReport.Level.ERROR && !tolerated(e, m)) {
        problems.add(
            e.method()
                + " "
                + e.path()
                + " -> "
                + e.status()
                + ": "
                + m.getKey()
                + ": "
                + m.getMessage());
      }
    }
    return problems;
  }

  /**
   * Neon's client sends the JSON literal {@code null} as the body of every bodiless request
   * (contract section 6) and pageservers ignore it; deletion is asynchronous (202 while it runs,
   * 404 once gone), which the spec predates.
   */
  static boolean tolerated(RecordingProxy.Exchange e, ValidationReport.Message m) {
    if (m.getKey().equals("validation.request.body.unexpected") && e.requestBody().equals("null")) {
      return true;
    }
    return m.getKey().equals("validation.response.status.unknown")
        && e.method().equals("DELETE")
        && (e.status() == 202 || e.status() == 404);
  }

  static Request request(RecordingProxy.Exchange e) {
    SimpleRequest.Builder b = new SimpleRequest.Builder(e.method(), e.path());
    if (e.query() != null) {
      for (String pair : e.query().split("&")) {
        String[] kv = pair.split("=", 2);
        b.withQueryParam(
            kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    if (e.requestContentType() != null) {
      b.withContentType(e.requestContentType());
    }
    if (!e.requestBody().isEmpty()) {
      b.withBody(e.requestBody());
    }
    return b.build();
  }

  static SimpleResponse response(RecordingProxy.Exchange e) {
    SimpleResponse.Builder b = SimpleResponse.Builder.status(e.status());
    if (e.responseContentType() != null) {
      b.withContentType(e.responseContentType());
    }
    if (!e.responseBody().isEmpty()) {
      b.withBody(e.responseBody());
    }
    return b.build();
  }
}
