-- Foundation schema (SQLite). Instants are Unix seconds; dates are ISO text (YYYY-MM-DD).
CREATE TABLE jurisdictions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    parent_code TEXT NULL,
    level       INTEGER NOT NULL,
    population  INTEGER NULL
);

CREATE TABLE persons (
    id             INTEGER PRIMARY KEY,
    person_key     TEXT NOT NULL UNIQUE,
    id_type        TEXT NULL,
    id_number      TEXT NULL,
    name           TEXT NULL,
    sex            TEXT NULL,
    birth_date     TEXT NULL,
    phone          TEXT NULL,
    community_code TEXT NULL,
    address        TEXT NULL,
    merged_into    INTEGER NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX persons_document ON persons (id_type, id_number);
CREATE INDEX persons_community ON persons (community_code);

-- Further keys of a person: a second source key with the same document number, or the keys of a merged record.
CREATE TABLE person_keys (
    person_key TEXT PRIMARY KEY,
    person_id  INTEGER NOT NULL
);

CREATE TABLE person_history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL
);
CREATE INDEX person_history_person ON person_history (person_id, at);

CREATE TABLE venues (
    id             INTEGER PRIMARY KEY,
    venue_key      TEXT NOT NULL UNIQUE,
    name           TEXT NULL,
    type           TEXT NOT NULL,
    community_code TEXT NULL,
    capacity       INTEGER NULL,
    enclosed       INTEGER NULL
);

CREATE TABLE exposures (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id       INTEGER NOT NULL,
    other_person_id INTEGER NOT NULL,
    setting         TEXT NOT NULL,
    start_at        INTEGER NOT NULL,
    end_at          INTEGER NOT NULL,
    UNIQUE (person_id, other_person_id, setting, start_at, end_at)
);
CREATE INDEX exposures_other ON exposures (other_person_id);

CREATE TABLE cases (
    person_id      INTEGER PRIMARY KEY,
    classification TEXT NOT NULL,
    onset_date     TEXT NULL,
    sampling_time  INTEGER NULL,
    report_time    INTEGER NOT NULL,
    isolation_time INTEGER NULL,
    updated_at     INTEGER NOT NULL
);

-- The current generation of each day segment of check-ins kept beside this file.
CREATE TABLE checkin_days (
    day          INTEGER PRIMARY KEY,
    generation   INTEGER NOT NULL,
    row_count    INTEGER NOT NULL,
    max_duration INTEGER NOT NULL
);

CREATE TABLE imports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    fingerprint   TEXT NOT NULL,
    rows_in_file  INTEGER NOT NULL,
    rows_written  INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    at            INTEGER NOT NULL
);
