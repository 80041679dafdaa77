package io.storagecontroller.http.tenant;

import io.storagecontroller.model.NodeId;
import io.storagecontroller.model.TenantId;
import io.storagecontroller.model.TenantShardId;
import io.storagecontroller.pageserver.PageserverJson;
import io.storagecontroller.shard.ShardView;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Neon's TenantDescribeResponse; stripe size, policy and config come from shard 0. */
final class TenantDescription {
  private TenantDescription() {}

  /**
   * {@code pendingCompute}: the tenant is owed a compute notification; {@code writing}: a writer is
   * at the shard's pageservers now. A shard is reconciling while an operation holds it or a writer
   * is at work.
   */
  static ObjectNode of(
      TenantId tenant,
      List<ShardView> shards,
      boolean pendingCompute,
      Predicate<TenantShardId> writing) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("tenant_id", tenant.toString());
    ArrayNode list = out.putArray("shards");
    for (ShardView shard : shards) {
      ObjectNode s = list.addObject();
      s.put("tenant_shard_id", shard.id().toString());
      NodeId attached = shard.attached();
      if (attached == null) {
        s.putNull("node_attached");
      } else {
        s.put("node_attached", attached.value());
      }
      ArrayNode secondaries = s.putArray("node_secondary");
      shard.secondaries().forEach(n -> secondaries.add(n.value()));
      s.put("last_error", shard.lastError());
      s.put("is_reconciling", shard.held() || writing.test(shard.id()));
      s.put("is_pending_compute_notification", pendingCompute);
      s.put("is_splitting", shard.splitting());
      s.put("is_importing", false);
      s.put("scheduling_policy", shard.schedulingPolicy().jsonName());
      if (shard.preferredAz() == null) {
        s.putNull("preferred_az_id");
      } else {
        s.put("preferred_az_id", shard.preferredAz());
      }
    }
    ShardView zero = shards.get(0);
    out.put("stripe_size", zero.stripeSize().value());
    out.set("policy", PageserverJson.mapper().readTree(zero.policy().toJson()));
    out.set("config", zero.config().deepCopy());
    return out;
  }
}
