package io.storagecontroller.http.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The pass-through metrics' path label never carries an id, as Neon's. */
class PassthroughMetricPathTest {
  @Test
  void idsAndLsnsAreLeftOut() {
    assertThat(
            PassthroughController.metricPath(
                "/v1/tenant/1f359dd625e519a1a4e8d7509690f6fc-0104/timeline"
                    + "/de200bd42b49cc1814412c7e592dd6e9/lsn_lease"))
        .isEqualTo("v1_tenant_timeline_lsn_lease");
    assertThat(PassthroughController.metricPath("/v1/tenant/1f359dd625e519a1a4e8d7509690f6fc"))
        .isEqualTo("v1_tenant");
    assertThat(
            PassthroughController.metricPath(
                "/v1/tenant/abcdefabcdefabcdefabcdefabcdefab/timeline/x/0/169AD58"))
        .isEqualTo("v1_tenant_timeline_x");
  }
}
