-- Contacts found by the last full trace, each with its evidence and the policy that produced it.
CREATE TABLE contacts (
    person_id       INTEGER PRIMARY KEY,
    tier            TEXT NOT NULL,
    index_person_id INTEGER NOT NULL,
    via_person_id   INTEGER NULL,
    venue_id        INTEGER NULL,
    exposure_start  INTEGER NOT NULL,
    exposure_end    INTEGER NOT NULL,
    policy_id       TEXT NOT NULL,
    policy_version  TEXT NOT NULL,
    traced_at       INTEGER NOT NULL
);
CREATE INDEX contacts_index ON contacts (index_person_id, tier);

-- Places and times a case gave in the epidemiological interview (流调), beside its check-ins.
CREATE TABLE interview_entries (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL,
    place     TEXT NOT NULL,
    start_at  INTEGER NOT NULL,
    end_at    INTEGER NOT NULL,
    note      TEXT NULL
);
CREATE INDEX interview_entries_person ON interview_entries (person_id, start_at);
