package io.storagecontroller.split;

import io.storagecontroller.model.Refusal;
import io.storagecontroller.pageserver.PageserverJson;
import tools.jackson.core.JacksonException;

/**
 * What a split was asked beyond its tenant, kept as the operation's {@code parameters} so that a
 * retry, or the repair after a restart, knows the count: {@code {"new_shard_count": n,
 * "new_stripe_size": s}}.
 */
public record SplitParameters(int newShardCount, Long newStripeSize) {
  public String toJson() {
    return PageserverJson.mapper().writeValueAsString(this);
  }

  public static SplitParameters parse(String json) {
    if (json == null || json.isBlank()) {
      throw Refusal.conflict("the split operation does not record its shard count");
    }
    try {
      return PageserverJson.mapper().readValue(json, SplitParameters.class);
    } catch (JacksonException e) {
      throw Refusal.conflict("the split operation's parameters are unreadable: " + json);
    }
  }
}
