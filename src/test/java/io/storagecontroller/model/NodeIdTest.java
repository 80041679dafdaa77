package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Positive;

class NodeIdTest {
  @Property
  void formatThenParseIsIdentity(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n) {
    NodeId id = NodeId.of(n);
    assertThat(NodeId.valueOf(id.toString())).isEqualTo(id);
    assertThat(id.value()).isEqualTo(n);
  }

  @Property
  void rejectsNegativeIds(@ForAll @Positive long n) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> NodeId.of(-n))
        .withMessageContaining("must not be negative");
    assertThatIllegalArgumentException().isThrownBy(() -> NodeId.valueOf(Long.toString(-n)));
  }

  @Example
  void rejectsMalformedText() {
    for (String bad : new String[] {"", "abc", "1.5", "18446744073709551615", " 1"}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> NodeId.valueOf(bad))
          .withMessageContaining("invalid node id '" + bad + "'");
    }
    assertThatIllegalArgumentException().isThrownBy(() -> NodeId.valueOf(null));
  }

  @Example
  void ordersNumerically() {
    assertThat(NodeId.of(2)).isLessThan(NodeId.of(10));
  }
}
