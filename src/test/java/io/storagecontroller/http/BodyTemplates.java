package io.storagecontroller.http;

import java.util.List;
import java.util.Map;

/**
 * A well-formed body for every route that reads one, aimed at the victims, with the JSON pointers
 * of its required fields. The fuzzer breaks these in ways that make them certainly invalid; a route
 * with a body and no template here fails the fuzz test, so a new route gets one.
 */
final class BodyTemplates {
  private BodyTemplates() {}

  /** A template: the body's text and which fields may not be left out. */
  record Template(String json, List<String> required) {}

  static Map<String, Template> of(Victims v) {
    return Map.ofEntries(
        Map.entry(
            "POST /control/v1/node",
            new Template(
                v.registration(),
                List.of(
                    "/node_id",
                    "/listen_http_addr",
                    "/listen_http_port",
                    "/listen_pg_addr",
                    "/listen_pg_port",
                    "/availability_zone_id"))),
        Map.entry(
            "PUT /control/v1/node/{node_id}/config",
            new Template(
                "{\"node_id\":%d,\"scheduling\":\"Active\"}".formatted(v.node()),
                List.of("/node_id"))),
        Map.entry(
            "PUT /v1/tenant/{tenant_shard_id}/location_config",
            new Template(
                ("{\"mode\":\"AttachedSingle\",\"generation\":%d,\"secondary_conf\":null,"
                        + "\"shard_number\":0,\"shard_count\":0,\"shard_stripe_size\":2048,"
                        + "\"tenant_conf\":{\"gc_period\":\"1h\"}}")
                    .formatted(v.generation()),
                List.of("/mode", "/tenant_conf"))),
        Map.entry(
            "POST /v1/tenant",
            new Template(
                ("{\"new_tenant_id\":\"%s\",\"shard_parameters\":{\"count\":0,\"stripe_size\":2048},"
                        + "\"placement_policy\":{\"Attached\":1},\"gc_period\":\"1h\"}")
                    .formatted(v.tenant()),
                List.of("/new_tenant_id"))),
        Map.entry(
            "PUT /v1/tenant/{tenant_id}/timeline/{timeline_id}/archival_config",
            new Template("{\"state\":\"Archived\"}", List.of("/state"))),
        Map.entry(
            "POST /v1/tenant/{tenant_id}/timeline/{timeline_id}/lsn_lease",
            new Template("{\"lsn\":\"0/16B5A50\"}", List.of("/lsn"))),
        Map.entry(
            "PUT /v1/tenant/{tenant_id}/timeline/{timeline_id}/mark_invisible",
            new Template("{}", List.of())),
        Map.entry(
            "PUT /control/v1/optimiser", new Template("{\"paused\":false}", List.of("/paused"))),
        Map.entry(
            "PUT /control/v1/preferred_azs",
            new Template("{\"%s\":\"az-fuzz\"}".formatted(v.shard()), List.of())),
        Map.entry(
            "PUT /control/v1/tenant/{tenant_id}/policy",
            new Template("{\"placement\":{\"Attached\":1},\"scheduling\":\"Active\"}", List.of())),
        Map.entry(
            "PUT /v1/tenant/{tenant_id}/time_travel_remote_storage",
            new Template("{\"shard_counts\":[0]}", List.of("/shard_counts"))),
        Map.entry(
            "PUT /v1/tenant/config",
            new Template(
                "{\"tenant_id\":\"%s\",\"gc_period\":\"1h\"}".formatted(v.tenant()),
                List.of("/tenant_id"))),
        Map.entry(
            "PATCH /v1/tenant/config",
            new Template(
                "{\"tenant_id\":\"%s\",\"gc_period\":\"1h\"}".formatted(v.tenant()),
                List.of("/tenant_id"))),
        Map.entry(
            "POST /debug/v1/attach-hook",
            new Template(
                "{\"tenant_shard_id\":\"%s\",\"node_id\":%d}".formatted(v.shard(), v.node()),
                List.of("/tenant_shard_id"))),
        Map.entry(
            "PUT /debug/v1/evacuation_mode",
            // false is the mode the rest of the suite runs in.
            new Template("{\"direct\":false}", List.of("/direct"))),
        Map.entry(
            "POST /debug/v1/inspect",
            new Template(
                "{\"tenant_shard_id\":\"%s\"}".formatted(v.shard()), List.of("/tenant_shard_id"))),
        Map.entry(
            "PUT /debug/v1/failpoints",
            new Template(
                "[{\"name\":\"fuzz-never-hit\",\"actions\":\"off\"}]",
                List.of("/0/name", "/0/actions"))),
        Map.entry(
            "POST /v1/tenant/{tenant_id}/timeline",
            new Template(
                "{\"new_timeline_id\":\"%s\",\"pg_version\":17}".formatted(v.newTimeline()),
                List.of("/new_timeline_id"))),
        Map.entry(
            "POST /upcall/v1/re-attach",
            new Template("{\"node_id\":%d}".formatted(v.node()), List.of("/node_id"))),
        Map.entry(
            "POST /upcall/v1/validate",
            new Template(
                "{\"tenants\":[{\"id\":\"%s\",\"gen\":%d}]}".formatted(v.shard(), v.generation()),
                List.of("/tenants", "/tenants/0/id", "/tenants/0/gen"))),
        Map.entry(
            "PUT /control/v1/tenant/{tenant_shard_id}/migrate",
            new Template("{\"node_id\":%d}".formatted(v.node()), List.of("/node_id"))),
        Map.entry(
            "POST /control/v1/metadata_health/update",
            new Template(
                "{\"healthy_tenant_shards\":[\"%s\"],\"unhealthy_tenant_shards\":[]}"
                    .formatted(v.shard()),
                List.of("/healthy_tenant_shards", "/unhealthy_tenant_shards"))),
        Map.entry(
            "POST /control/v1/metadata_health/outdated",
            new Template("{\"not_scrubbed_for\":\"1h\"}", List.of("/not_scrubbed_for"))),
        Map.entry(
            "PUT /control/v1/tenant/{tenant_shard_id}/migrate_secondary",
            new Template("{\"node_id\":%d}".formatted(v.node()), List.of("/node_id"))),
        Map.entry(
            "PUT /control/v1/tenant/{tenant_id}/shard_split",
            new Template("{\"new_shard_count\":4}", List.of("/new_shard_count"))));
  }
}
