// The experiment behind docs/bench/2026-12-08-write-permits-*.json, not part of the controller:
// placed in io.storagecontroller.http and registered first after HttpMetrics in WebConfig with
//   registry.addInterceptor(writeAdmission).addPathPatterns("/v1/tenant", "/v1/tenant/**", "/control/v1/**");
// and run with JAVA_TOOL_OPTIONS="-Dsc.write.permits=16" (or 4) bin/storage_controller bench
//   --tenants 2000 --phases sustained-load (the child controller inherits the variable).
package io.storagecontroller.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/** Bounds the API writes in flight (fair, FIFO) so that reads are not queued behind them. */
@Component
public class WriteAdmission implements HandlerInterceptor {
  private static final String HELD = WriteAdmission.class.getName() + ".held";

  private final Semaphore permits =
      new Semaphore(Integer.getInteger("sc.write.permits", 1_000_000), true);

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
      return true;
    }
    try {
      if (!permits.tryAcquire(60, TimeUnit.SECONDS)) {
        throw ApiError.shuttingDown();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.shuttingDown();
    }
    request.setAttribute(HELD, Boolean.TRUE);
    return true;
  }

  @Override
  public void afterCompletion(
      HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
    if (request.getAttribute(HELD) != null) {
      request.removeAttribute(HELD);
      permits.release();
    }
  }
}
