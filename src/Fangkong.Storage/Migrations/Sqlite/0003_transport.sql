-- Transport legs (flights, trains, sealed coaches) for tracing by seat, car or vehicle.
CREATE TABLE transport_legs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL,
    mode      TEXT NOT NULL,
    number    TEXT NOT NULL,
    departure INTEGER NOT NULL,
    arrival   INTEGER NOT NULL,
    car       TEXT NULL,
    seat_row  INTEGER NULL,
    seat      TEXT NULL,
    UNIQUE (person_id, mode, number, departure)
);
CREATE INDEX transport_legs_trip ON transport_legs (mode, number, departure);
ALTER TABLE contacts ADD COLUMN transport TEXT NULL;
