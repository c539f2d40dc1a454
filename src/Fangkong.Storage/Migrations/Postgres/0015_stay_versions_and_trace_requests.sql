-- The version of each kind of stays (check-ins, grid stays): raised in the transaction that switches in an
-- append or drops days, so that a reader holding the stays in memory (the server's tracing index) knows
-- whether another writer changed them.
CREATE TABLE stay_versions (
    kind    text PRIMARY KEY,
    version bigint NOT NULL
);

-- Re-traces asked for (a case recorded, confirmed, reclassified) and the last one done: the server answers
-- at once and traces behind; a request still open when it stopped is traced when it starts again.
CREATE TABLE trace_requests (
    id           integer PRIMARY KEY,
    requested    bigint NOT NULL,
    completed    bigint NOT NULL,
    requested_at bigint NOT NULL,
    completed_at bigint NULL
);
INSERT INTO trace_requests (id, requested, completed, requested_at) VALUES (1, 0, 0, 0);
