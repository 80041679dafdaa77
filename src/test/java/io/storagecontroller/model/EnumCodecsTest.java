package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class EnumCodecsTest {
  @Example
  void wireSpellings() {
    assertThat(Arrays.stream(NodeAvailability.values()).map(NodeAvailability::jsonName))
        .containsExactly("Active", "WarmingUp", "Offline");
    assertThat(Arrays.stream(NodeSchedulingPolicy.values()).map(NodeSchedulingPolicy::jsonName))
        .containsExactly("Active", "Filling", "Pause", "PauseForRestart", "Draining", "Deleting");
    assertThat(Arrays.stream(NodeSchedulingPolicy.values()).map(NodeSchedulingPolicy::toDb))
        .containsExactly("active", "filling", "pause", "pause_for_restart", "draining", "deleting");
    assertThat(Arrays.stream(ShardSchedulingPolicy.values()).map(ShardSchedulingPolicy::toDb))
        .containsExactly("\"Active\"", "\"Essential\"", "\"Pause\"", "\"Stop\"");
    assertThat(Arrays.stream(NodeLifecycle.values()).map(NodeLifecycle::jsonName))
        .containsExactly("Active", "Deleted");
    assertThat(Arrays.stream(NodeLifecycle.values()).map(NodeLifecycle::toDb))
        .containsExactly("active", "deleted");
    assertThat(Arrays.stream(LocationConfigMode.values()).map(LocationConfigMode::jsonName))
        .containsExactly(
            "AttachedSingle", "AttachedMulti", "AttachedStale", "Secondary", "Detached");
  }

  @Property
  void nodeAvailabilityRoundTrips(@ForAll NodeAvailability value) {
    assertThat(NodeAvailability.fromJson(value.jsonName())).isEqualTo(value);
  }

  @Property
  void nodeSchedulingPolicyRoundTrips(@ForAll NodeSchedulingPolicy value) {
    assertThat(NodeSchedulingPolicy.fromJson(value.jsonName())).isEqualTo(value);
    assertThat(NodeSchedulingPolicy.fromDb(value.toDb())).isEqualTo(value);
  }

  @Property
  void shardSchedulingPolicyRoundTrips(@ForAll ShardSchedulingPolicy value) {
    assertThat(ShardSchedulingPolicy.fromJson(value.jsonName())).isEqualTo(value);
    assertThat(ShardSchedulingPolicy.fromDb(value.toDb())).isEqualTo(value);
  }

  @Property
  void nodeLifecycleRoundTrips(@ForAll NodeLifecycle value) {
    assertThat(NodeLifecycle.fromJson(value.jsonName())).isEqualTo(value);
    assertThat(NodeLifecycle.fromDb(value.toDb())).isEqualTo(value);
  }

  @Property
  void locationConfigModeRoundTrips(@ForAll LocationConfigMode value) {
    assertThat(LocationConfigMode.fromJson(value.jsonName())).isEqualTo(value);
  }

  @Example
  void unknownValuesListTheAllowedOnes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeAvailability.fromJson("active"))
        .withMessage(
            "unknown node availability 'active': expected one of [Active, WarmingUp, Offline]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeSchedulingPolicy.fromDb("Active"))
        .withMessageContaining("[active, filling, pause, pause_for_restart, draining, deleting]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeSchedulingPolicy.fromJson("pause_for_restart"))
        .withMessageContaining("PauseForRestart");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ShardSchedulingPolicy.fromJson("Paused"))
        .withMessageContaining("[Active, Essential, Pause, Stop]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ShardSchedulingPolicy.fromDb("Active"))
        .withMessageContaining("quoted");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeLifecycle.fromDb("gone"))
        .withMessageContaining("[active, deleted]");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> LocationConfigMode.fromJson(null))
        .withMessageContaining("AttachedSingle");
  }
}
