-- Closed-loop control (闭环管理) and responsibilities (五个责任): staff, control orders and their
-- loop, quarantine sites and rooms, transfers, health checks, scheduled tests, tasks and escalations.
CREATE TABLE staff (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_key         TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    role              TEXT NOT NULL,
    jurisdiction_code TEXT NOT NULL,
    phone             TEXT NULL,
    active            INTEGER NOT NULL DEFAULT 1,
    created_at        INTEGER NOT NULL
);
CREATE INDEX staff_jurisdiction ON staff (role, jurisdiction_code);

CREATE TABLE control_orders (
    id              INTEGER PRIMARY KEY,
    person_id       INTEGER NOT NULL,
    grp             TEXT NOT NULL,
    measure         TEXT NOT NULL,
    step            INTEGER NOT NULL,
    status          TEXT NOT NULL,
    active          INTEGER NOT NULL,
    day_zero        TEXT NOT NULL,
    start_date      TEXT NOT NULL,
    planned_end     TEXT NULL,
    last_exposure   INTEGER NULL,
    source_case_id  INTEGER NULL,
    identified_at   INTEGER NOT NULL,
    notified_at     INTEGER NULL,
    controlled_at   INTEGER NULL,
    closed_at       INTEGER NULL,
    transfer_due    INTEGER NULL,
    monitor_id      INTEGER NULL,
    home_address    TEXT NULL,
    lost_reason     TEXT NULL,
    policy_id       TEXT NOT NULL,
    policy_version  TEXT NOT NULL,
    version         INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
-- Exactly one active order per person.
CREATE UNIQUE INDEX control_orders_one_active ON control_orders (person_id) WHERE active = 1;
CREATE INDEX control_orders_person ON control_orders (person_id, identified_at);
CREATE INDEX control_orders_open ON control_orders (status) WHERE active = 1;
-- Partial indexes for the "who is missing?" audit: each gap is found without scanning the open orders.
CREATE INDEX control_orders_no_monitor ON control_orders (person_id) WHERE active = 1 AND monitor_id IS NULL;
CREATE INDEX control_orders_planned_end ON control_orders (planned_end) WHERE active = 1 AND grp <> 'case';
CREATE INDEX control_orders_in_site ON control_orders (id) WHERE active = 1 AND measure = 'centralized_quarantine' AND status IN ('arrived', 'under_control');
CREATE INDEX control_orders_no_address ON control_orders (id) WHERE active = 1 AND (home_address IS NULL OR home_address = '');

-- The last exposure of a contact (the end of its latest qualifying overlap), from which orders count.
ALTER TABLE contacts ADD COLUMN last_exposure INTEGER NULL;

-- The audit looks for contacts stored after the last sync of the orders.
CREATE INDEX contacts_traced ON contacts (traced_at);

CREATE TABLE control_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    from_status TEXT NULL,
    to_status   TEXT NOT NULL,
    detail      TEXT NULL
);
CREATE INDEX control_events_order ON control_events (order_id, id);

CREATE TABLE scheduled_tests (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id   INTEGER NOT NULL,
    person_id  INTEGER NOT NULL,
    due_date   TEXT NOT NULL,
    day_number INTEGER NOT NULL,
    sample_key TEXT NULL UNIQUE,
    sampled_at INTEGER NULL,
    result     TEXT NULL,
    result_at  INTEGER NULL,
    UNIQUE (order_id, due_date)
);
CREATE INDEX scheduled_tests_due ON scheduled_tests (due_date) WHERE sampled_at IS NULL;
CREATE INDEX scheduled_tests_person ON scheduled_tests (person_id, due_date);

CREATE TABLE health_checks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   INTEGER NOT NULL,
    order_id    INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    local_date  TEXT NOT NULL,
    temperature REAL NOT NULL,
    symptoms    TEXT NULL,
    actor       TEXT NOT NULL
);
CREATE INDEX health_checks_order ON health_checks (order_id, local_date);

CREATE TABLE quarantine_sites (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    site_key    TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    county_code TEXT NOT NULL,
    address     TEXT NULL,
    created_at  INTEGER NOT NULL
);

-- occupants and household mirror the open stays of the room (kept in step by every check-in and check-out).
CREATE TABLE site_rooms (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id   INTEGER NOT NULL,
    room_no   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    capacity  INTEGER NOT NULL,
    reserve   INTEGER NOT NULL,
    occupants INTEGER NOT NULL DEFAULT 0,
    household TEXT NULL,
    UNIQUE (site_id, room_no)
);

CREATE TABLE site_staff (
    site_id  INTEGER NOT NULL,
    staff_id INTEGER NOT NULL,
    duty     TEXT NOT NULL,
    PRIMARY KEY (site_id, staff_id)
);

CREATE TABLE room_stays (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id       INTEGER NOT NULL,
    order_id      INTEGER NOT NULL,
    person_id     INTEGER NOT NULL,
    household     TEXT NULL,
    checked_in    INTEGER NOT NULL,
    checked_out   INTEGER NULL
);
CREATE INDEX room_stays_room ON room_stays (room_id) WHERE checked_out IS NULL;
CREATE UNIQUE INDEX room_stays_one_open ON room_stays (person_id) WHERE checked_out IS NULL;
CREATE INDEX room_stays_order ON room_stays (order_id);

CREATE TABLE transfers (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id       INTEGER NOT NULL,
    pickup_address TEXT NOT NULL,
    vehicle        TEXT NOT NULL,
    crew           TEXT NOT NULL,
    due_at         INTEGER NOT NULL,
    dispatched_at  INTEGER NOT NULL,
    handed_over_at INTEGER NULL,
    site_id        INTEGER NULL,
    actor          TEXT NOT NULL
);
CREATE INDEX transfers_order ON transfers (order_id);

CREATE TABLE release_decisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id   INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    next_order INTEGER NULL,
    basis      TEXT NOT NULL
);
CREATE INDEX release_decisions_order ON release_decisions (order_id);

CREATE TABLE tasks (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    task_key           TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL,
    title              TEXT NOT NULL,
    source_kind        TEXT NOT NULL,
    source_id          INTEGER NOT NULL,
    person_id          INTEGER NULL,
    owner_staff_id     INTEGER NULL,
    owner_jurisdiction TEXT NOT NULL,
    home_jurisdiction  TEXT NOT NULL,
    priority           INTEGER NOT NULL,
    due_at             INTEGER NOT NULL,
    status             TEXT NOT NULL,
    escalation_level   INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    done_at            INTEGER NULL,
    done_by            TEXT NULL,
    note               TEXT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tasks_open ON tasks (status, due_at);
CREATE INDEX tasks_owner ON tasks (owner_jurisdiction, status);
CREATE INDEX tasks_source ON tasks (source_kind, source_id);

CREATE TABLE task_escalations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id           INTEGER NOT NULL,
    at                INTEGER NOT NULL,
    from_jurisdiction TEXT NOT NULL,
    to_jurisdiction   TEXT NOT NULL,
    hours_overdue     INTEGER NOT NULL,
    reason            TEXT NOT NULL
);
CREATE INDEX task_escalations_task ON task_escalations (task_id);

-- Store-wide settings; 'clock' holds a simulated time (Unix seconds) set by 'fangkong clock'.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
