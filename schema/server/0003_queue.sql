-- Volant mairie server, migration 3: the ticket's life after the tablet — the
-- counter desks that call it, the waiting-room displays that show the calls.
-- Append-only: never edit once landed.

-- Two more kinds of device: a counter desk (one service, a label such as
-- « Guichet 3 — État civil ») and a waiting-room display (a room, the services
-- whose calls it shows, as a JSON array). SQLite cannot change a CHECK, so the
-- tables are rebuilt (foreign keys are off while migrations run).
CREATE TABLE enrollment_code_v3 (
    code_hash  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('agent', 'lead', 'counter', 'display')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    service_id TEXT,
    label      TEXT,
    services   TEXT,
    CHECK (kind <> 'counter' OR (service_id IS NOT NULL AND label IS NOT NULL)),
    CHECK (kind <> 'display' OR (label IS NOT NULL AND services IS NOT NULL))
) STRICT;
INSERT INTO enrollment_code_v3 (code_hash, name, kind, created_at, expires_at, used_at)
    SELECT code_hash, name, kind, created_at, expires_at, used_at FROM enrollment_code;
DROP TABLE enrollment_code;
ALTER TABLE enrollment_code_v3 RENAME TO enrollment_code;

CREATE TABLE device_v3 (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('agent', 'lead', 'counter', 'display')),
    token_hash         TEXT NOT NULL UNIQUE,
    install_id         TEXT NOT NULL UNIQUE,
    tablet_letter      TEXT NOT NULL,
    enrolled_at        TEXT NOT NULL,
    revoked_at         TEXT,
    last_contact_at    TEXT,
    clock_offset_ms    INTEGER,
    last_seq           INTEGER NOT NULL DEFAULT 0,
    received           INTEGER NOT NULL DEFAULT 0,
    quarantined        INTEGER NOT NULL DEFAULT 0,
    deferred           INTEGER NOT NULL DEFAULT 0,
    service_id         TEXT,
    label              TEXT,
    services           TEXT
) STRICT;
INSERT INTO device_v3 (id, name, kind, token_hash, install_id, tablet_letter, enrolled_at,
        revoked_at, last_contact_at, clock_offset_ms, last_seq, received, quarantined, deferred)
    SELECT id, name, kind, token_hash, install_id, tablet_letter, enrolled_at,
        revoked_at, last_contact_at, clock_offset_ms, last_seq, received, quarantined, deferred
    FROM device;
DROP TABLE device;
ALTER TABLE device_v3 RENAME TO device;

-- The queues: one row per ticket a counter can call, for its mairie day. A
-- ticket enters when its tablet's snapshot arrives, or earlier when a counter
-- adopts its code (visit_id NULL until the snapshot joins it by code).
CREATE TABLE queue_ticket (
    day           TEXT NOT NULL,
    code          TEXT NOT NULL,
    service_id    TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    visit_id      TEXT,
    adopted_at    TEXT,
    state         TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'present', 'served', 'no_show', 'cancelled')),
    counter_id    TEXT,
    counter_label TEXT,
    calls         INTEGER NOT NULL DEFAULT 0,
    called_at     TEXT,
    last_call_at  TEXT,
    arrived_at    TEXT,
    served_at     TEXT,
    outcome       TEXT CHECK (outcome IN ('done', 'come_back', 'redirected')),
    PRIMARY KEY (day, code)
) STRICT;

CREATE INDEX queue_ticket_by_service ON queue_ticket(day, service_id, state, issued_at);
CREATE INDEX queue_ticket_by_visit ON queue_ticket(visit_id) WHERE visit_id IS NOT NULL;

-- Every event of a ticket's life in the server's order; seq is the event id of
-- the live updates. event_id is the client's (idempotent on retry), with the
-- hash of what it asked.
CREATE TABLE ticket_event (
    seq           INTEGER PRIMARY KEY,
    event_id      TEXT NOT NULL UNIQUE,
    request_hash  TEXT NOT NULL,
    day           TEXT NOT NULL,
    code          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('issued', 'adopted', 'called', 'recalled', 'arrived', 'served', 'no_show', 'transferred', 'reactivated', 'cancelled')),
    service_id    TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    counter_label TEXT,
    calls         INTEGER NOT NULL DEFAULT 0,
    detail        TEXT,
    device_time   TEXT NOT NULL,
    server_time   TEXT NOT NULL
) STRICT;

CREATE INDEX ticket_event_by_day ON ticket_event(day, kind, seq);
