-- The controller's durable state. Column names and encodings follow Neon's storage controller where Neon has
-- the column (contract: neon-api.md section 4), so its tools can read this database.

-- Pageservers. scheduling_policy is snake_case without quotes (active, pause, pause_for_restart, ...).
-- lifecycle 'deleted' is a tombstone: hidden from listings, blocks re-registration, refuses re-attach.
CREATE TABLE nodes (
    node_id              BIGINT PRIMARY KEY,
    scheduling_policy    VARCHAR NOT NULL,
    listen_http_addr     VARCHAR NOT NULL,
    listen_http_port     INTEGER NOT NULL,
    listen_pg_addr       VARCHAR NOT NULL,
    listen_pg_port       INTEGER NOT NULL,
    availability_zone_id VARCHAR NOT NULL,
    listen_https_port    INTEGER NULL,
    lifecycle            VARCHAR NOT NULL DEFAULT 'active',
    listen_grpc_addr     VARCHAR NULL,
    listen_grpc_port     INTEGER NULL,
    CONSTRAINT nodes_grpc_together CHECK ((listen_grpc_addr IS NULL) = (listen_grpc_port IS NULL))
);

-- Tenant shards. shard_count is the literal count (0 = legacy unsharded). placement_policy and
-- scheduling_policy hold JSON text with quotes ({"Attached":1}, "Active"). generation is NULL only for
-- tenants onboarded as Secondary. generation_pageserver is the node the latest generation was issued to.
-- Beyond Neon: the intended attached node and secondaries, so a restart does not reshuffle placements.
CREATE TABLE tenant_shards (
    tenant_id                VARCHAR NOT NULL,
    shard_number             INTEGER NOT NULL,
    shard_count              INTEGER NOT NULL,
    shard_stripe_size        INTEGER NOT NULL,
    generation               INTEGER NULL,
    generation_pageserver    BIGINT NULL,
    placement_policy         VARCHAR NOT NULL,
    splitting                SMALLINT NOT NULL DEFAULT 0,
    config                   TEXT NOT NULL,
    scheduling_policy        VARCHAR NOT NULL DEFAULT '"Active"',
    preferred_az_id          VARCHAR NULL,
    intended_attached_node   BIGINT NULL,
    intended_secondary_nodes BIGINT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, shard_number, shard_count),
    CONSTRAINT tenant_shards_number_range CHECK (shard_number BETWEEN 0 AND 255),
    CONSTRAINT tenant_shards_count_range CHECK (shard_count BETWEEN 0 AND 255)
);
CREATE INDEX tenant_shards_tenant_id ON tenant_shards (tenant_id);
-- Re-attach bumps every shard attached to one node in one statement.
CREATE INDEX tenant_shards_generation_pageserver ON tenant_shards (generation_pageserver);

-- Scrubber health, one row per shard, created with the shard.
CREATE TABLE metadata_health (
    tenant_id        VARCHAR NOT NULL,
    shard_number     INTEGER NOT NULL,
    shard_count      INTEGER NOT NULL,
    healthy          BOOLEAN NOT NULL DEFAULT TRUE,
    last_scrubbed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (tenant_id, shard_number, shard_count),
    FOREIGN KEY (tenant_id, shard_number, shard_count)
        REFERENCES tenant_shards (tenant_id, shard_number, shard_count) ON DELETE CASCADE
);

-- The current leader: at most one row, taken by compare-and-set.
CREATE TABLE controllers (
    address    VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (address, started_at)
);

-- Long operations (drain, fill, evacuation, split, migration, ...): the source of truth for "what is
-- running", since the embedded Temporal service cannot list workflows. One row per operation.
CREATE TABLE operations (
    id            BIGSERIAL PRIMARY KEY,
    kind          VARCHAR NOT NULL,
    target        VARCHAR NOT NULL,
    workflow_id   VARCHAR NOT NULL,
    state         VARCHAR NOT NULL,
    phase         VARCHAR NULL,
    progress_done BIGINT NOT NULL DEFAULT 0,
    progress_total BIGINT NOT NULL DEFAULT 0,
    error         TEXT NULL,
    started_at    TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    finished_at   TIMESTAMPTZ NULL,
    CONSTRAINT operations_state CHECK (state IN ('running', 'succeeded', 'failed', 'cancelled')),
    CONSTRAINT operations_progress CHECK (progress_done >= 0 AND progress_total >= 0)
);
CREATE INDEX operations_running ON operations (kind, target) WHERE state = 'running';
CREATE INDEX operations_started ON operations (started_at DESC);
