package io.storagecontroller.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * Neon's strict mode: without {@code --dev} the controller refuses to start while a secret or the
 * control-plane URL is missing, because a missing public key would silently turn auth off.
 *
 * <p>Enforced: {@code --public-key}, {@code --jwt-token}, {@code --control-plane-jwt-token}, {@code
 * --control-plane-url}. Not enforced (yet): {@code --safekeeper-jwt-token} (no safekeeper API), and
 * the checks on flags this implementation does not have.
 */
public final class StrictMode {
  private StrictMode() {}

  /** What strict mode misses; empty when the controller may start without {@code --dev}. */
  public static List<String> missing(
      String publicKey, String jwtToken, String controlPlaneJwtToken, String controlPlaneUrl) {
    List<String> missing = new ArrayList<>();
    if (blank(publicKey)) {
      missing.add("--public-key (or PUBLIC_KEY)");
    }
    if (blank(jwtToken)) {
      missing.add("--jwt-token (or PAGESERVER_JWT_TOKEN)");
    }
    if (blank(controlPlaneJwtToken)) {
      missing.add("--control-plane-jwt-token (or CONTROL_PLANE_JWT_TOKEN)");
    }
    if (blank(controlPlaneUrl)) {
      missing.add("--control-plane-url");
    }
    return missing;
  }

  /** The one-line refusal for what is missing. */
  public static String refusal(List<String> missing) {
    return "insecure configuration, refusing to start without --dev: missing "
        + String.join(", ", missing);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
