-- Volant mairie server, migration 7: mairies. A server may serve several
-- mairies (the city's); every record carries its mairie, and what must be
-- unique is unique within a mairie (ticket codes, catalogue ids and versions,
-- sign-offs). A database upgraded from one mairie's server holds mairie 1,
-- named after its catalogue, with that server's epoch and catalogue floor. A device kind `city` reads
-- indicators across mairies.
-- Append-only: never edit once landed. Foreign keys are off while it runs.

CREATE TABLE mairie (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
    created_at      TEXT NOT NULL,
    epoch           TEXT NOT NULL,
    catalogue_floor INTEGER NOT NULL DEFAULT 0,
    catalogue_meta  TEXT
) STRICT;

INSERT INTO mairie (id, name, created_at, epoch, catalogue_floor, catalogue_meta)
    SELECT 1, COALESCE(NULLIF(json_extract((SELECT value FROM meta WHERE key = 'catalogue_meta'), '$.mairie'), ''), 'Mairie'),
           COALESCE((SELECT value FROM meta WHERE key = 'created_at'), ''),
           e.value, COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'catalogue_floor'), 0),
           (SELECT value FROM meta WHERE key = 'catalogue_meta')
    FROM meta e WHERE e.key = 'epoch';
DELETE FROM meta WHERE key IN ('epoch', 'catalogue_floor', 'catalogue_meta');

CREATE TABLE enrollment_code_v7 (
    code_hash  TEXT PRIMARY KEY,
    mairie_id  INTEGER NOT NULL REFERENCES mairie(id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('agent', 'lead', 'counter', 'display', 'city')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    service_id TEXT,
    label      TEXT,
    services   TEXT,
    CHECK (kind <> 'counter' OR (service_id IS NOT NULL AND label IS NOT NULL)),
    CHECK (kind <> 'display' OR (label IS NOT NULL AND services IS NOT NULL))
) STRICT;
INSERT INTO enrollment_code_v7 (code_hash, mairie_id, name, kind, created_at, expires_at, used_at, service_id, label, services)
    SELECT code_hash, 1, name, kind, created_at, expires_at, used_at, service_id, label, services FROM enrollment_code;
DROP TABLE enrollment_code;
ALTER TABLE enrollment_code_v7 RENAME TO enrollment_code;

CREATE TABLE device_v7 (
    id              TEXT PRIMARY KEY,
    mairie_id       INTEGER NOT NULL REFERENCES mairie(id),
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('agent', 'lead', 'counter', 'display', 'city')),
    token_hash      TEXT NOT NULL UNIQUE,
    install_id      TEXT NOT NULL UNIQUE,
    tablet_letter   TEXT NOT NULL,
    enrolled_at     TEXT NOT NULL,
    revoked_at      TEXT,
    last_contact_at TEXT,
    clock_offset_ms INTEGER,
    last_seq        INTEGER NOT NULL DEFAULT 0,
    received        INTEGER NOT NULL DEFAULT 0,
    quarantined     INTEGER NOT NULL DEFAULT 0,
    deferred        INTEGER NOT NULL DEFAULT 0,
    service_id      TEXT,
    label           TEXT,
    services        TEXT
) STRICT;
INSERT INTO device_v7 (id, mairie_id, name, kind, token_hash, install_id, tablet_letter, enrolled_at,
        revoked_at, last_contact_at, clock_offset_ms, last_seq, received, quarantined, deferred,
        service_id, label, services)
    SELECT id, 1, name, kind, token_hash, install_id, tablet_letter, enrolled_at,
        revoked_at, last_contact_at, clock_offset_ms, last_seq, received, quarantined, deferred,
        service_id, label, services
    FROM device;
DROP TABLE device;
ALTER TABLE device_v7 RENAME TO device;
CREATE INDEX device_by_mairie ON device(mairie_id, kind);

-- Tables whose keys stay (ids made by devices, unique everywhere) gain their mairie.
ALTER TABLE inbox ADD COLUMN mairie_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE visit ADD COLUMN mairie_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE visit_fact ADD COLUMN mairie_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE visit_aggregate ADD COLUMN mairie_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE quarantine_repair ADD COLUMN mairie_id INTEGER NOT NULL DEFAULT 1;
DROP INDEX visit_by_day;
CREATE INDEX visit_by_day ON visit(mairie_id, day, opened_at);
DROP INDEX visit_fact_by_day;
CREATE INDEX visit_fact_by_day ON visit_fact(mairie_id, day, hour);
DROP INDEX visit_aggregate_by_day;
CREATE INDEX visit_aggregate_by_day ON visit_aggregate(mairie_id, day);

-- Tables whose keys become the mairie's.
CREATE TABLE ticket_v7 (
    mairie_id  INTEGER NOT NULL REFERENCES mairie(id),
    day        TEXT NOT NULL,
    code       TEXT NOT NULL,
    visit_id   TEXT NOT NULL,
    service_id TEXT NOT NULL,
    issued_at  TEXT NOT NULL,
    PRIMARY KEY (mairie_id, day, code)
) STRICT;
INSERT INTO ticket_v7 SELECT 1, day, code, visit_id, service_id, issued_at FROM ticket;
DROP TABLE ticket;
ALTER TABLE ticket_v7 RENAME TO ticket;

CREATE TABLE catalogue_item_v7 (
    mairie_id INTEGER NOT NULL REFERENCES mairie(id),
    kind      TEXT NOT NULL CHECK (kind IN ('service', 'demarche')),
    id        TEXT NOT NULL,
    version   INTEGER NOT NULL,
    record    TEXT,
    PRIMARY KEY (mairie_id, kind, id),
    UNIQUE (mairie_id, version)
) STRICT;
INSERT INTO catalogue_item_v7 SELECT 1, kind, id, version, record FROM catalogue_item;
DROP TABLE catalogue_item;
ALTER TABLE catalogue_item_v7 RENAME TO catalogue_item;

CREATE TABLE day_signoff_v7 (
    mairie_id INTEGER NOT NULL REFERENCES mairie(id),
    day       TEXT NOT NULL,
    comment   TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES device(id),
    signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    PRIMARY KEY (mairie_id, day)
) STRICT;
INSERT INTO day_signoff_v7 SELECT 1, day, comment, device_id, signed_by, signed_at FROM day_signoff;
DROP TABLE day_signoff;
ALTER TABLE day_signoff_v7 RENAME TO day_signoff;

CREATE TABLE queue_ticket_v7 (
    mairie_id      INTEGER NOT NULL REFERENCES mairie(id),
    day            TEXT NOT NULL,
    code           TEXT NOT NULL,
    service_id     TEXT NOT NULL,
    issued_at      TEXT NOT NULL,
    visit_id       TEXT,
    adopted_at     TEXT,
    state          TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'present', 'served', 'no_show', 'cancelled')),
    counter_id     TEXT,
    counter_label  TEXT,
    calls          INTEGER NOT NULL DEFAULT 0,
    called_at      TEXT,
    last_call_at   TEXT,
    arrived_at     TEXT,
    served_at      TEXT,
    outcome        TEXT CHECK (outcome IN ('done', 'come_back', 'redirected')),
    quoted_max_min INTEGER,
    PRIMARY KEY (mairie_id, day, code)
) STRICT;
INSERT INTO queue_ticket_v7 SELECT 1, day, code, service_id, issued_at, visit_id, adopted_at, state,
    counter_id, counter_label, calls, called_at, last_call_at, arrived_at, served_at, outcome, quoted_max_min
    FROM queue_ticket;
DROP TABLE queue_ticket;
ALTER TABLE queue_ticket_v7 RENAME TO queue_ticket;
CREATE INDEX queue_ticket_by_service ON queue_ticket(mairie_id, day, service_id, state, issued_at);
CREATE INDEX queue_ticket_by_visit ON queue_ticket(visit_id) WHERE visit_id IS NOT NULL;

CREATE TABLE ticket_event_v7 (
    seq           INTEGER PRIMARY KEY,
    mairie_id     INTEGER NOT NULL REFERENCES mairie(id),
    event_id      TEXT NOT NULL,
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
    server_time   TEXT NOT NULL,
    UNIQUE (mairie_id, event_id)
) STRICT;
INSERT INTO ticket_event_v7 SELECT seq, 1, event_id, request_hash, day, code, kind, service_id, device_id,
    counter_label, calls, detail, device_time, server_time FROM ticket_event;
DROP TABLE ticket_event;
ALTER TABLE ticket_event_v7 RENAME TO ticket_event;
CREATE INDEX ticket_event_by_day ON ticket_event(mairie_id, day, kind, seq);
