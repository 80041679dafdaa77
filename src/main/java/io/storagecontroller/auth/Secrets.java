package io.storagecontroller.auth;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the controller's secrets come from: each from its flag, else its environment variable (both
 * done by the command line's defaults), else, when {@code --secrets-manager} is given, from AWS
 * Secrets Manager under Neon's secret ids.
 */
public final class Secrets {
  private Secrets() {}

  /** A secret with its flag, environment variable and Secrets Manager id. */
  public enum Secret {
    DATABASE_URL("--database-url", "DATABASE_URL", "rds-neon-storage-controller-url"),
    PUBLIC_KEY("--public-key", "PUBLIC_KEY", "neon-storage-controller-public-key"),
    PAGESERVER_JWT_TOKEN(
        "--jwt-token", "PAGESERVER_JWT_TOKEN", "neon-storage-controller-pageserver-jwt-token"),
    CONTROL_PLANE_JWT_TOKEN(
        "--control-plane-jwt-token",
        "CONTROL_PLANE_JWT_TOKEN",
        "neon-storage-controller-control-plane-jwt-token");

    private final String flag;
    private final String environmentVariable;
    private final String secretId;

    Secret(String flag, String environmentVariable, String secretId) {
      this.flag = flag;
      this.environmentVariable = environmentVariable;
      this.secretId = secretId;
    }

    public String flag() {
      return flag;
    }

    public String environmentVariable() {
      return environmentVariable;
    }

    public String secretId() {
      return secretId;
    }
  }

  /** A store of secrets by id. */
  public interface Source {
    /** The secret's value, or empty when the store has no such secret. */
    Optional<String> read(String secretId);
  }

  /**
   * The secrets given by flag or environment (unset ones absent or blank), completed from {@code
   * source} where it has them. Only missing secrets are read from the source.
   */
  public static Map<Secret, String> complete(Map<Secret, String> given, Source source) {
    Map<Secret, String> all = new EnumMap<>(Secret.class);
    for (Secret secret : Secret.values()) {
      String value = given.get(secret);
      if (value == null || value.isBlank()) {
        value = source.read(secret.secretId()).filter(v -> !v.isBlank()).orElse(null);
      }
      if (value != null) {
        all.put(secret, value);
      }
    }
    return all;
  }
}
