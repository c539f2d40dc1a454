-- Mass testing (核酸检测): a tube, named by its barcode, holds one person's sample or the pooled samples
-- of several (all rows of a samples file sharing a tube_id); its members are who was sampled into it.
CREATE TABLE tubes (
    id         INTEGER PRIMARY KEY,
    tube_key   TEXT NOT NULL UNIQUE,
    sampled_at INTEGER NOT NULL,
    site_key   TEXT NULL,
    round_key  TEXT NULL,
    result     TEXT NULL,
    tested_at  INTEGER NULL,
    lab_key    TEXT NULL
);

CREATE TABLE tube_members (
    tube_id   INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    PRIMARY KEY (tube_id, person_id)
);

CREATE INDEX tube_members_person ON tube_members (person_id);

-- Routine testing of key groups (重点人群): who belongs to which group, tested every so many days.
CREATE TABLE key_groups (
    person_id      INTEGER NOT NULL,
    grp            TEXT NOT NULL,
    frequency_days INTEGER NOT NULL,
    PRIMARY KEY (person_id, grp)
);
