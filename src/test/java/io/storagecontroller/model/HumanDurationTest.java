package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HumanDurationTest {
  @Test
  void neonForms() {
    assertThat(HumanDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(HumanDuration.parse("300ms")).isEqualTo(Duration.ofMillis(300));
    assertThat(HumanDuration.parse("1h 30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(HumanDuration.parse("7days")).isEqualTo(Duration.ofDays(7));
    assertThat(HumanDuration.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(HumanDuration.parse("2min")).isEqualTo(Duration.ofMinutes(2));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "5 parsecs", "30", "s", "1h x", "-5s", "1.5s", "99999999999999999999d"})
  void rejectsNonDurations(String text) {
    assertThatIllegalArgumentException().isThrownBy(() -> HumanDuration.parse(text));
  }

  @Property
  void formatThenParseIsIdentity(
      @ForAll @LongRange(min = 0, max = 10_000_000_000_000L) long nanos) {
    Duration d = Duration.ofNanos(nanos);
    assertThat(HumanDuration.parse(HumanDuration.format(d))).isEqualTo(d);
  }
}
