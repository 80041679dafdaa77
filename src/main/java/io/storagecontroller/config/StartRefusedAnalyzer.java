package io.storagecontroller.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a refused start-up in two lines rather than as a stack trace. */
public class StartRefusedAnalyzer extends AbstractFailureAnalyzer<StartRefused> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StartRefused cause) {
    return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
  }
}
