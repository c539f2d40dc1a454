-- Mass testing (核酸检测): a tube, named by its barcode, holds one person's sample or the pooled samples
-- of several (all rows of a samples file sharing a tube_id); its members are who was sampled into it.
CREATE TABLE tubes (
    id         integer PRIMARY KEY,
    tube_key   text NOT NULL UNIQUE,
    sampled_at bigint NOT NULL,
    site_key   text NULL,
    round_key  text NULL,
    result     text NULL,
    tested_at  bigint NULL,
    lab_key    text NULL
);

CREATE TABLE tube_members (
    tube_id   integer NOT NULL REFERENCES tubes (id),
    person_id integer NOT NULL,
    PRIMARY KEY (tube_id, person_id)
);

CREATE INDEX tube_members_person ON tube_members (person_id);

-- Routine testing of key groups (重点人群): who belongs to which group, tested every so many days.
CREATE TABLE key_groups (
    person_id      integer NOT NULL,
    grp            text NOT NULL,
    frequency_days integer NOT NULL,
    PRIMARY KEY (person_id, grp)
);
