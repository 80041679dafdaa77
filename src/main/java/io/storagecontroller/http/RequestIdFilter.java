package io.storagecontroller.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every response carries {@code x-request-id}: the caller's, or a new one. It is in the logs of the
 * request too, so an operator can follow one call from a client's error to the controller's log
 * lines.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {
  public static final String HEADER = "x-request-id";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String id = request.getHeader(HEADER);
    // A caller's id goes into logs and headers; keep only ids that cannot forge log lines or
    // headers.
    if (id == null || !SAFE.matcher(id).matches()) {
      id = newId();
    }
    response.setHeader(HEADER, id);
    MDC.put("request_id", id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("request_id");
    }
  }

  /**
   * A random (version 4) UUID from the thread's own generator: request ids need to be unique, not
   * unguessable, and {@link UUID#randomUUID()}'s shared SecureRandom is a lock every request thread
   * queued on under load (the benchmark's profile).
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xCL << 60)) | (0x8L << 60);
    return new UUID(high, low).toString();
  }
}
