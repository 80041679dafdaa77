-- What an operation was asked to do beyond its target (e.g. a migration's destination node), as
-- JSON, so that retry can run it again.
ALTER TABLE operations ADD COLUMN parameters TEXT NULL;
