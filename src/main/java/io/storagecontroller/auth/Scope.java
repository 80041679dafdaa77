package io.storagecontroller.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code scope} claim of a token (Neon's {@code utils::auth::Scope}), with its JSON spelling. A
 * token carries exactly one scope; {@link #ADMIN} is accepted wherever a scope is checked.
 */
public enum Scope {
  TENANT("tenant"),
  TENANT_ENDPOINT("tenantendpoint"),
  PAGESERVER_API("pageserverapi"),
  SAFEKEEPER_DATA("safekeeperdata"),
  GENERATIONS_API("generations_api"),
  ADMIN("admin"),
  INFRA("infra"),
  SCRUBBER("scrubber"),
  CONTROLLER_PEER("controller_peer");

  private final String json;

  Scope(String json) {
    this.json = json;
  }

  /** The claim's value, e.g. {@code generations_api}. */
  public String json() {
    return json;
  }

  /** The scope a claim value names, if it names one (exact, case-sensitive, as serde reads it). */
  public static Optional<Scope> fromJson(String value) {
    return Arrays.stream(values()).filter(s -> s.json.equals(value)).findFirst();
  }

  @Override
  public String toString() {
    return json;
  }
}
