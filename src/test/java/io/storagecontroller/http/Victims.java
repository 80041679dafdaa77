package io.storagecontroller.http;

import java.util.List;

/**
 * The live things bad requests aim at: a tenant with one shard, a secondary and a timeline, placed
 * on simulated pageservers, whose state a refused request must leave exactly as it was.
 *
 * @param registration the victim node's registration, as {@code POST /control/v1/node} takes it
 */
record Victims(
    String tenant,
    String shard,
    long node,
    List<Long> nodes,
    String timeline,
    String newTimeline,
    long generation,
    String registration) {}
