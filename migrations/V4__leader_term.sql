-- The leadership term: increased by every controller that becomes the leader, and checked at the
-- start of every transaction of the leader (SerializableTransactions), so a deposed controller that
-- has not noticed yet (a long pause, a partition) can issue no generation and write no intent.
CREATE TABLE leader_term (
    term BIGINT NOT NULL
);
INSERT INTO leader_term (term) VALUES (0);
