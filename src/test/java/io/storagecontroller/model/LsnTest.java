package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Locale;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class LsnTest {
  @Property
  void formatThenParseIsIdentity(@ForAll long value) {
    Lsn lsn = Lsn.of(value);
    assertThat(Lsn.parse(lsn.toString())).isEqualTo(lsn);
    assertThat(Lsn.valueOf(lsn.toString().toLowerCase(Locale.ROOT))).isEqualTo(lsn);
  }

  @Property
  void textIsUpperCaseWithoutPadding(@ForAll long value) {
    assertThat(Lsn.of(value).toString())
        .matches("(0|[1-9A-F][0-9A-F]{0,7})/(0|[1-9A-F][0-9A-F]{0,7})");
  }

  @Property
  void orderIsUnsigned(@ForAll long a, @ForAll long b) {
    assertThat(Integer.signum(Lsn.of(a).compareTo(Lsn.of(b))))
        .isEqualTo(Integer.signum(Long.compareUnsigned(a, b)));
  }

  // The same examples as Neon's own lsn.rs tests.
  @Example
  void neonExamples() {
    assertThat(Lsn.parse("12345678/AAAA5555").value()).isEqualTo(0x12345678AAAA5555L);
    assertThat(Lsn.parse("aaaa/bbbb").value()).isEqualTo(0x0000AAAA0000BBBBL);
    assertThat(Lsn.parse("1/A").value()).isEqualTo(0x000000010000000AL);
    assertThat(Lsn.parse("0/0")).isEqualTo(Lsn.INVALID);
    assertThat(Lsn.parse(" 0/3C490F8 ").value()).isEqualTo(0x3C490F8L);
    assertThat(Lsn.of(0x12345678AAAA5555L)).hasToString("12345678/AAAA5555");
    assertThat(Lsn.of(0x000000010000000AL)).hasToString("1/A");
    assertThat(Lsn.of(0x169AD58L)).hasToString("0/169AD58");
    assertThat(Lsn.MAX).hasToString("FFFFFFFF/FFFFFFFF");
    assertThat(Lsn.MAX).isGreaterThan(Lsn.of(1));
  }

  @Example
  void acceptsLeadingZeros() {
    assertThat(Lsn.parse("000000000001/0000000000A").value()).isEqualTo(0x1_0000_000AL);
  }

  @Example
  void rejectsMalformedText() {
    String[] bad = {
      "",
      "/",
      "0/",
      "/0",
      "0",
      "ABCDEFG/12345678",
      "123456789/AAAA5555",
      "12345678/AAAA55550",
      "-1/0",
      "1/-1",
      "+1/0",
      "0/0/0",
      "0x1/0",
      "1 /0"
    };
    for (String text : bad) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> Lsn.parse(text))
          .withMessageContaining("invalid lsn '" + text + "'");
    }
    assertThatIllegalArgumentException().isThrownBy(() -> Lsn.parse(null));
  }
}
