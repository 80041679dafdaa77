package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PlacementPolicyTest {
  @Provide
  Arbitrary<PlacementPolicy> policies() {
    return Arbitraries.oneOf(
        List.of(
            Arbitraries.integers().between(0, Integer.MAX_VALUE).map(PlacementPolicy::attached),
            Arbitraries.of(PlacementPolicy.SECONDARY, PlacementPolicy.DETACHED)));
  }

  @Property
  void formatThenParseIsIdentity(@ForAll("policies") PlacementPolicy policy) {
    assertThat(PlacementPolicy.fromJson(policy.toJson())).isEqualTo(policy);
  }

  @Property
  void jacksonValueRoundTrips(@ForAll("policies") PlacementPolicy policy) {
    assertThat(PlacementPolicy.fromJsonValue(policy.jsonValue())).isEqualTo(policy);
  }

  @Property
  void toleratesWhitespace(
      @ForAll("policies") PlacementPolicy policy, @ForAll("whitespace") String ws) {
    String spaced =
        ws
            + policy
                .toJson()
                .replace("{", "{" + ws)
                .replace(":", ws + ":" + ws)
                .replace("}", ws + "}")
            + ws;
    assertThat(PlacementPolicy.fromJson(spaced)).isEqualTo(policy);
  }

  @Provide
  Arbitrary<String> whitespace() {
    return Arbitraries.strings().withChars(' ', '\t', '\n', '\r').ofMaxLength(3);
  }

  @Example
  void compactText() {
    assertThat(PlacementPolicy.attached(1).toJson()).isEqualTo("{\"Attached\":1}");
    assertThat(PlacementPolicy.SECONDARY.toJson()).isEqualTo("\"Secondary\"");
    assertThat(PlacementPolicy.DETACHED.toJson()).isEqualTo("\"Detached\"");
    assertThat(PlacementPolicy.attached(0)).hasToString("{\"Attached\":0}");
  }

  @Example
  void readsTheMigrationFourSpelling() {
    assertThat(PlacementPolicy.fromJson("{\"Attached\": 1}"))
        .isEqualTo(PlacementPolicy.attached(1));
  }

  @Example
  void rejectsMalformedText() {
    String[] bad = {
      "",
      "Secondary",
      "\"secondary\"",
      "\"Attached\"",
      "{\"Attached\":}",
      "{\"Attached\":-1}",
      "{\"Attached\":1.5}",
      "{\"Attached\":99999999999}",
      "{\"Secondary\":1}",
      "{\"Attached\":1,\"x\":2}",
      "{Attached:1}",
      "\""
    };
    for (String text : bad) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> PlacementPolicy.fromJson(text))
          .withMessageContaining("invalid placement policy '" + text + "'")
          .withMessageContaining("\"Secondary\" or \"Detached\"");
    }
    assertThatIllegalArgumentException().isThrownBy(() -> PlacementPolicy.fromJson(null));
    assertThatIllegalArgumentException().isThrownBy(() -> PlacementPolicy.attached(-1));
  }
}
