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

class TenantIdTest {
  private static final String EXAMPLE = "1f359dd625e519a1a4e8d7509690f6fc";

  @Provide
  Arbitrary<TenantId> tenantIds() {
    return Arbitraries.bytes().array(byte[].class).ofSize(16).map(TenantId::fromBytes);
  }

  @Property
  void formatThenParseIsIdentity(@ForAll("tenantIds") TenantId id) {
    assertThat(TenantId.parse(id.toString())).isEqualTo(id);
    assertThat(TenantId.valueOf(id.toString())).isEqualTo(id);
  }

  @Property
  void canonicalTextIsLowercaseHexAndUpperCaseParses(@ForAll("tenantIds") TenantId id) {
    String text = id.toString();
    assertThat(text).matches("[0-9a-f]{32}");
    assertThat(TenantId.parse(text.toUpperCase(Locale.ROOT))).isEqualTo(id);
  }

  @Property
  void bytesRoundTrip(@ForAll("tenantIds") TenantId id) {
    assertThat(TenantId.fromBytes(id.toBytes())).isEqualTo(id);
  }

  @Property
  void orderIsHexStringOrder(@ForAll("tenantIds") TenantId a, @ForAll("tenantIds") TenantId b) {
    assertThat(Integer.signum(a.compareTo(b)))
        .isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
  }

  @Example
  void parsesTheSpecExample() {
    TenantId id = TenantId.parse(EXAMPLE.toUpperCase(Locale.ROOT));
    assertThat(id).hasToString(EXAMPLE);
    assertThat(id.toBytes()[0]).isEqualTo((byte) 0x1f);
  }

  @Example
  void generatedIdsDiffer() {
    assertThat(TenantId.generate()).isNotEqualTo(TenantId.generate());
  }

  @Property
  void rejectsMalformedText(@ForAll("malformed") String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TenantId.parse(text))
        .withMessageContaining("invalid tenant id")
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
        "-" + EXAMPLE.substring(1),
        // Character.digit would accept Arabic-Indic digits; the id grammar must not.
        "\u0661" + EXAMPLE.substring(1),
        EXAMPLE + "-0104");
  }

  @Example
  void messageNamesTheInput() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TenantId.parse("xyz"))
        .withMessage("invalid tenant id 'xyz': expected 32 hex characters");
  }

  @Example
  void rejectsNull() {
    assertThatIllegalArgumentException().isThrownBy(() -> TenantId.parse(null));
  }

  @Example
  void rejectsWrongByteCount() {
    assertThatIllegalArgumentException().isThrownBy(() -> TenantId.fromBytes(new byte[15]));
  }
}
