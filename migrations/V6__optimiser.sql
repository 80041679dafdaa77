-- The background optimiser's operator switch: one row, so that a pause survives restarts and
-- leadership changes.
CREATE TABLE optimiser (
    paused BOOLEAN NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO optimiser (paused) VALUES (false);
