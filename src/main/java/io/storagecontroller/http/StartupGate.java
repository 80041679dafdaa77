package io.storagecontroller.http;

import io.storagecontroller.startup.Readiness;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Tenant routes wait for the start-up reconcile (Neon's {@code tenant_service_handler}): answering
 * from a half-loaded state would show tenants without their placements. The wait is bounded; past
 * it the caller gets 408 and retries.
 */
@Component
public class StartupGate implements HandlerInterceptor {
  /** Neon's STARTUP_RECONCILE_TIMEOUT. */
  static final Duration STARTUP_RECONCILE_TIMEOUT = Duration.ofSeconds(30);

  private final Readiness readiness;
  private final Duration timeout;

  @Autowired
  public StartupGate(Readiness readiness) {
    this(readiness, STARTUP_RECONCILE_TIMEOUT);
  }

  StartupGate(Readiness readiness, Duration timeout) {
    this.readiness = readiness;
    this.timeout = timeout;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (readiness.isReady()) {
      return true;
    }
    try {
      if (readiness.awaitReady(timeout)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.shuttingDown();
    }
    throw ApiError.timeout("Timed out waiting for service readiness");
  }
}
