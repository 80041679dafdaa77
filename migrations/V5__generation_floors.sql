-- The highest generation a deleted tenant's shards ever had. A tenant id created again starts above it:
-- a pageserver that still remembers the old tenant (a location left by a drop, a node away during the
-- delete) can never be handed a generation it has seen before.
CREATE TABLE tenant_generation_floors (
    tenant_id  VARCHAR NOT NULL PRIMARY KEY,
    generation INTEGER NOT NULL
);
