-- The latest operation of a kind on a target, whatever its state: auto-split leaves alone a
-- tenant whose last split an operator cancelled.
CREATE INDEX operations_by_target ON operations (kind, target, id DESC);
