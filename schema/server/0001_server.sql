-- Volant mairie server, migration 1. Append-only: never edit once landed.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One-time enrolment codes, stored hashed.
CREATE TABLE enrollment_code (
    code_hash  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('agent', 'lead')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;

-- Enrolled devices; one device per tablet install. Counters feed `device list`.
CREATE TABLE device (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('agent', 'lead')),
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
    deferred           INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The idempotent inbox: every mutation ever received, with its hash and its
-- receipt. The raw payload is kept for quarantined and deferred mutations; a
-- stored one lives on in its visit.
CREATE TABLE inbox (
    install_id      TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    mutation_id     TEXT NOT NULL UNIQUE,
    payload_hash    TEXT NOT NULL,
    kind            TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    payload_version INTEGER NOT NULL,
    device_time     TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    clock_offset_ms INTEGER,
    payload         TEXT CHECK (payload IS NOT NULL OR status = 'stored'),
    status          TEXT NOT NULL CHECK (status IN ('stored', 'quarantined', 'deferred')),
    reason          TEXT,
    PRIMARY KEY (install_id, seq)
) STRICT;

CREATE INDEX inbox_by_status ON inbox(status) WHERE status <> 'stored';

-- Visits as last applied (the newest revision wins).
CREATE TABLE visit (
    id            TEXT PRIMARY KEY,
    device_id     TEXT NOT NULL REFERENCES device(id),
    tablet        TEXT NOT NULL,
    day           TEXT NOT NULL,
    step          TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    revision      INTEGER NOT NULL,
    opened_at     TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    clock_suspect INTEGER NOT NULL CHECK (clock_suspect IN (0, 1)),
    snapshot      TEXT NOT NULL
) STRICT;

CREATE INDEX visit_by_day ON visit(day, opened_at);

-- Every ticket code seen, for the mairie and day: a code belongs to one visit.
CREATE TABLE ticket (
    day        TEXT NOT NULL,
    code       TEXT NOT NULL,
    visit_id   TEXT NOT NULL,
    service_id TEXT NOT NULL,
    issued_at  TEXT NOT NULL,
    PRIMARY KEY (day, code)
) STRICT;

-- The authoritative catalogue: every record at its latest catalogue version;
-- a NULL record is a tombstone.
CREATE TABLE catalogue_item (
    kind    TEXT NOT NULL CHECK (kind IN ('service', 'demarche')),
    id      TEXT NOT NULL,
    version INTEGER NOT NULL UNIQUE,
    record  TEXT,
    PRIMARY KEY (kind, id)
) STRICT;
