package io.storagecontroller.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

class JsonCodecTest {
  private static final String TENANT = "1f359dd625e519a1a4e8d7509690f6fc";
  private final JsonMapper mapper = JsonMapper.builder().build();

  record Body(
      @JsonProperty("tenant_shard_id") TenantShardId tenantShardId,
      @JsonProperty("timeline_id") TimelineId timelineId,
      @JsonProperty("node_id") NodeId nodeId,
      @JsonProperty("generation") Generation generation,
      @JsonProperty("shard_number") ShardNumber shardNumber,
      @JsonProperty("shard_count") ShardCount shardCount,
      @JsonProperty("stripe_size") ShardStripeSize stripeSize,
      @JsonProperty("lsn") Lsn lsn,
      @JsonProperty("policy") PlacementPolicy policy,
      @JsonProperty("scheduling") NodeSchedulingPolicy scheduling,
      @JsonProperty("availability") NodeAvailability availability,
      @JsonProperty("mode") LocationConfigMode mode) {}

  private static Body example(PlacementPolicy policy, Generation generation) {
    return new Body(
        TenantShardId.parse(TENANT + "-0104"),
        TimelineId.parse("de200bd42b49cc1814412c7e592dd6e9"),
        NodeId.of(3),
        generation,
        ShardNumber.of(1),
        ShardCount.of(4),
        ShardStripeSize.DEFAULT,
        Lsn.of(0x169AD58L),
        policy,
        NodeSchedulingPolicy.PAUSE_FOR_RESTART,
        NodeAvailability.WARMING_UP,
        LocationConfigMode.ATTACHED_SINGLE);
  }

  @Test
  void scalarsUseTheWireEncodings() throws Exception {
    String json = mapper.writeValueAsString(example(PlacementPolicy.attached(1), Generation.of(7)));
    assertThat(json)
        .contains("\"tenant_shard_id\":\"" + TENANT + "-0104\"")
        .contains("\"timeline_id\":\"de200bd42b49cc1814412c7e592dd6e9\"")
        .contains("\"node_id\":3")
        .contains("\"generation\":7")
        .contains("\"shard_number\":1")
        .contains("\"shard_count\":4")
        .contains("\"stripe_size\":2048")
        .contains("\"lsn\":\"0/169AD58\"")
        .contains("\"policy\":{\"Attached\":1}")
        .contains("\"scheduling\":\"PauseForRestart\"")
        .contains("\"availability\":\"WarmingUp\"")
        .contains("\"mode\":\"AttachedSingle\"");
  }

  @Test
  void bodiesRoundTrip() throws Exception {
    for (PlacementPolicy policy :
        new PlacementPolicy[] {
          PlacementPolicy.attached(0), PlacementPolicy.SECONDARY, PlacementPolicy.DETACHED
        }) {
      Body body = example(policy, null);
      String json = mapper.writeValueAsString(body);
      assertThat(json).contains("\"generation\":null");
      assertThat(mapper.readValue(json, Body.class)).isEqualTo(body);
    }
  }

  @Test
  void placementPolicyAcceptsSpacedJson() throws Exception {
    assertThat(mapper.readValue("{ \"Attached\" : 2 }", PlacementPolicy.class))
        .isEqualTo(PlacementPolicy.attached(2));
    assertThat(mapper.readValue("\"Secondary\"", PlacementPolicy.class))
        .isEqualTo(PlacementPolicy.SECONDARY);
    assertThat(mapper.writeValueAsString(PlacementPolicy.DETACHED)).isEqualTo("\"Detached\"");
  }

  @Test
  void legacyTenantShardIdIsTheBareTenant() throws Exception {
    TenantShardId legacy = TenantShardId.unsharded(TenantId.parse(TENANT));
    assertThat(mapper.writeValueAsString(legacy)).isEqualTo("\"" + TENANT + "\"");
    assertThat(mapper.readValue("\"" + TENANT + "\"", TenantShardId.class)).isEqualTo(legacy);
  }

  @Test
  void shardIdentityCarriesTheLayout() throws Exception {
    ShardIdentity identity =
        new ShardIdentity(ShardNumber.of(1), ShardCount.of(4), ShardStripeSize.DEFAULT);
    String json = mapper.writeValueAsString(identity);
    assertThat(mapper.readTree(json))
        .isEqualTo(mapper.readTree("{\"number\":1,\"count\":4,\"stripe_size\":2048,\"layout\":1}"));
    assertThat(mapper.readValue(json, ShardIdentity.class)).isEqualTo(identity);
  }

  @Test
  void shardIndexWorksAsMapKey() throws Exception {
    Map<ShardIndex, String> statuses = Map.of(ShardIndex.parse("0004"), "Done");
    String json = mapper.writeValueAsString(statuses);
    assertThat(json).isEqualTo("{\"0004\":\"Done\"}");
    assertThat(mapper.readValue(json, new TypeReference<Map<ShardIndex, String>>() {}))
        .isEqualTo(statuses);
  }

  @Test
  void invalidValuesFailWithTheDomainMessage() {
    assertThatThrownBy(() -> mapper.readValue("\"xyz\"", TenantId.class))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("invalid tenant id 'xyz'");
    assertThatThrownBy(() -> mapper.readValue("-1", NodeId.class))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> mapper.readValue("\"Sleeping\"", NodeSchedulingPolicy.class))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("expected one of");
    assertThatThrownBy(() -> mapper.readValue("{\"Attached\":\"x\"}", PlacementPolicy.class))
        .isInstanceOf(JacksonException.class)
        .hasMessageContaining("invalid placement policy");
  }
}
