package io.storagecontroller.http.leadership;

import io.storagecontroller.leadership.Leadership;
import io.storagecontroller.leadership.LeadershipStatus;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Neon's leadership gate: while this controller is a candidate (up, taking over from the leader)
 * only its probes are served; everything else is 503 {@code Current leadership status is
 * candidate}, before authentication, so a client retries rather than acting on a controller that
 * does not lead yet.
 */
@Component
// Before Spring Security's filter chain (-100): Neon gates before it authenticates.
@Order(-200)
public class CandidateGate extends OncePerRequestFilter {
  private static final Set<String> SERVED =
      Set.of("/ready", "/status", "/metrics", "/profile/cpu", "/profile/heap");

  private final Leadership leadership;

  public CandidateGate(Leadership leadership) {
    this.leadership = leadership;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return leadership.status() != LeadershipStatus.CANDIDATE
        || SERVED.contains(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    LeaderForwarding.unavailable(response, "Current leadership status is candidate");
  }
}
