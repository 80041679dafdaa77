package io.storagecontroller.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.storagecontroller.model.Generation;
import io.storagecontroller.model.Lsn;
import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.model.TimelineId;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Workflow and activity payloads carry the domain's types, written by Temporal's data converter
 * exactly as the strings and numbers they replaced were: the committed histories, recorded with
 * strings, replay against the typed code, and a running workflow survives the change.
 */
class TypedPayloadsTest {
  static final TenantId TENANT = TenantId.parse("1f359dd625e519a1a4e8d7509690f6fc");

  record Legacy(String tenantShardId, long node, Long generation, List<String> tenants) {}

  record Typed(
      TenantShardId tenantShardId, NodeId node, Generation generation, List<TenantId> tenants) {}

  private static String json(Object value) {
    Payload payload = DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).orElseThrow();
    return payload.getData().toStringUtf8();
  }

  private static <T> T read(String json, Class<T> type) {
    // A JSON payload's metadata, with this JSON as its data.
    Payload payload = DefaultDataConverter.STANDARD_INSTANCE.toPayload(Map.of()).orElseThrow();
    Payload same =
        payload.toBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8(json)).build();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(same, type, type);
  }

  @Test
  void typedIdsAreWrittenAsTheStringsAndNumbersTheyReplaced() {
    TenantShardId shard = TenantShardId.parse(TENANT + "-0104");
    Legacy legacy = new Legacy(shard.toString(), 7, 3L, List.of(TENANT.toString()));
    Typed typed = new Typed(shard, new NodeId(7), Generation.of(3), List.of(TENANT));
    assertThat(json(typed)).isEqualTo(json(legacy));
    assertThat(read(json(legacy), Typed.class)).isEqualTo(typed);
  }

  @Test
  void aBaselineOfTimelinesIsTheMapOfStringsItWas() {
    TimelineId timeline = TimelineId.parse("de200bd42b49cc1814412c7e592dd6e9");
    Map<String, String> legacy = Map.of(timeline.toString(), "0/16B5A50");
    Map<TimelineId, Lsn> typed = Map.of(timeline, Lsn.parse("0/16B5A50"));
    assertThat(json(typed)).isEqualTo(json(legacy));
  }
}
