package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TimelineIdTest {
  private static final String EXAMPLE = "1f359dd625e519a1a4e8d7509690f6fc";

  @Provide
  Arbitrary<TimelineId> timelineIds() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16).map(TimelineId::fromBytes);
  }

  @Property
  void formatThenParseIsIdentity(@ForAll("timelineIds") TimelineId id) {
    assertThat(TimelineId.parse(id.toString())).isEqualTo(id);
    assertThat(TimelineId.valueOf(id.toString())).isEqualTo(id);
  }

  @Property
  void canonicalTextIsLowercaseHexAndUpperCaseParses(@ForAll("timelineIds") TimelineId id) {
    String text = id.toString();
    assertThat(text).matches("[0-9a-f]{32}");
    assertThat(TimelineId.parse(text.toUpperCase(Locale.ROOT))).isEqualTo(id);
  }

  @Property
  void bytesRoundTrip(@ForAll("timelineIds") TimelineId id) {
    assertThat(TimelineId.fromBytes(id.toBytes())).isEqualTo(id);
  }

  @Property
  void orderIsHexStringOrder(
      @ForAll("timelineIds") TimelineId a, @ForAll("timelineIds") TimelineId b) {
    assertThat(Integer.signum(a.compareTo(b)))
        .isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
  }

  @Example
  void parsesTheSpecExample() {
    TimelineId id = TimelineId.parse(EXAMPLE.toUpperCase(Locale.ROOT));
    assertThat(id).hasToString(EXAMPLE);
    assertThat(id.toBytes()[0]).isEqualTo((byte) 0x1f);
  }

  @Example
  void generatedIdsDiffer() {
    assertThat(TimelineId.generate()).isNotEqualTo(TimelineId.generate());
  }

  @Property
  void rejectsMalformedText(@ForAll("malformed") String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TimelineId.parse(text))
        .withMessageContaining("invalid timeline id")
        .withMessageContaining("expected 32 hex characters");
  }

  @Provide
  Arbitrary<String> malformed() {
    return Arbitraries.of(
        "",
        "xyz",
        EXAMPLE.substring(1),
        EXAMPLE + "0",
        "g" + EXAMPLE.substring(1),
        " " + EXAMPLE.substring(1),
        // Character.digit would accept Arabic-Indic digits; the id grammar must not.
        "\u0661" + EXAMPLE.substring(1),
        EXAMPLE + "-0104");
  }

  @Example
  void messageNamesTheInput() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TimelineId.parse("xyz"))
        .withMessage("invalid timeline id 'xyz': expected 32 hex characters");
  }

  @Example
  void rejectsNull() {
    assertThatIllegalArgumentException().isThrownBy(() -> TimelineId.parse(null));
  }

  @Example
  void rejectsWrongByteCount() {
    assertThatIllegalArgumentException().isThrownBy(() -> TimelineId.fromBytes(new byte[15]));
  }
}
