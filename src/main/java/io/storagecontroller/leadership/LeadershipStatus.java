package io.storagecontroller.leadership;

/**
 * Neon's leadership states, as the {@code storage_controller_leadership_status} gauge names them.
 */
public enum LeadershipStatus {
  LEADER("leader"),
  CANDIDATE("candidate"),
  STEPPED_DOWN("stepped_down");

  private final String metricName;

  LeadershipStatus(String metricName) {
    this.metricName = metricName;
  }

  public String metricName() {
    return metricName;
  }
}
