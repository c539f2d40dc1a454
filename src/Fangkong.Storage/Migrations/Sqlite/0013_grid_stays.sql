-- Grid co-presence (时空伴随): the cells of the mobile operator's grid, named by the operator's own key,
-- and the current generation of each day segment of grid stays kept beside this file.
CREATE TABLE grid_cells (
    id       INTEGER PRIMARY KEY,
    cell_key TEXT NOT NULL UNIQUE
);

CREATE TABLE gridstay_days (
    day          INTEGER PRIMARY KEY,
    generation   INTEGER NOT NULL,
    row_count    INTEGER NOT NULL,
    max_duration INTEGER NOT NULL
);

-- A grid co-presence contact's evidence: the cell shared with the case.
ALTER TABLE contacts ADD COLUMN cell_id INTEGER NULL;
