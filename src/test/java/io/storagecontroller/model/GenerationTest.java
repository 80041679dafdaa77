package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class GenerationTest {
  @Property
  void formatThenParseIsIdentity(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFFL) long n) {
    Generation generation = Generation.of(n);
    assertThat(Generation.valueOf(generation.toString())).isEqualTo(generation);
  }

  @Property
  void nextIsGreater(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFEL) long n) {
    Generation generation = Generation.of(n);
    assertThat(generation.next()).isGreaterThan(generation);
    assertThat(generation.next().value()).isEqualTo(n + 1);
  }

  @Example
  void coversTheWholeU32Range() {
    assertThat(Generation.of(0xFFFF_FFFFL).value()).isEqualTo(4294967295L);
    assertThatIllegalStateException().isThrownBy(() -> Generation.of(0xFFFF_FFFFL).next());
  }

  @Example
  void rejectsOutOfRange() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Generation.of(-1))
        .withMessageContaining("invalid generation -1");
    assertThatIllegalArgumentException().isThrownBy(() -> Generation.of(0x1_0000_0000L));
    for (String bad : new String[] {"", "x", "-1", "4294967296"}) {
      assertThatIllegalArgumentException().isThrownBy(() -> Generation.valueOf(bad));
    }
    assertThatIllegalArgumentException().isThrownBy(() -> Generation.valueOf(null));
  }
}
