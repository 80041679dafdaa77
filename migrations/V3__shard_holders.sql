-- Which long operation owns a shard right now (a migration, split, drain or fill), so that ownership
-- survives a restart instead of living in memory: NULL means the reconciler drives the shard. Released
-- when the operation ends however it ends; the sweep releases a holder whose operation is over.
ALTER TABLE tenant_shards ADD COLUMN held_by BIGINT NULL REFERENCES operations (id) ON DELETE SET NULL;
CREATE INDEX tenant_shards_held_by ON tenant_shards (held_by) WHERE held_by IS NOT NULL;
