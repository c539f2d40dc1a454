-- The version of each kind of stays (check-ins, grid stays): raised in the transaction that switches in an
-- append or drops days, so that a reader holding the stays in memory (the server's tracing index) knows
-- whether another writer changed them.
CREATE TABLE stay_versions (
    kind    TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);

-- Re-traces asked for (a case recorded, confirmed, reclassified) and the last one done: the server answers
-- at once and traces behind; a request still open when it stopped is traced when it starts again.
CREATE TABLE trace_requests (
    id           INTEGER PRIMARY KEY,
    requested    INTEGER NOT NULL,
    completed    INTEGER NOT NULL,
    requested_at INTEGER NOT NULL,
    completed_at INTEGER NULL
);
INSERT INTO trace_requests (id, requested, completed, requested_at) VALUES (1, 0, 0, 0);
