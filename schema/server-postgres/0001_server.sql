-- Volant server on PostgreSQL, migration 1: the schema of SQLite's
-- migrations 1 to 6 (schema/server/) in PostgreSQL's dialect. Append-only:
-- never edit once landed.
--
-- Text is COLLATE "C" so that comparisons and orders are bytewise, as in
-- SQLite; integers are BIGINT; flags are BOOLEAN.

CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT COLLATE "C" NOT NULL
);

-- One-time enrolment codes, stored hashed.
CREATE TABLE enrollment_code (
    code_hash  TEXT COLLATE "C" PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL CHECK (kind IN ('agent', 'lead', 'counter', 'display')),
    created_at TEXT COLLATE "C" NOT NULL,
    expires_at TEXT COLLATE "C" NOT NULL,
    used_at    TEXT COLLATE "C",
    service_id TEXT COLLATE "C",
    label      TEXT COLLATE "C",
    services   TEXT COLLATE "C",
    CHECK (kind <> 'counter' OR (service_id IS NOT NULL AND label IS NOT NULL)),
    CHECK (kind <> 'display' OR (label IS NOT NULL AND services IS NOT NULL))
);

-- Enrolled devices: tablets, lead devices, counter desks, displays.
CREATE TABLE device (
    id              TEXT COLLATE "C" PRIMARY KEY,
    name            TEXT COLLATE "C" NOT NULL,
    kind            TEXT COLLATE "C" NOT NULL CHECK (kind IN ('agent', 'lead', 'counter', 'display')),
    token_hash      TEXT COLLATE "C" NOT NULL UNIQUE,
    install_id      TEXT COLLATE "C" NOT NULL UNIQUE,
    tablet_letter   TEXT COLLATE "C" NOT NULL,
    enrolled_at     TEXT COLLATE "C" NOT NULL,
    revoked_at      TEXT COLLATE "C",
    last_contact_at TEXT COLLATE "C",
    clock_offset_ms BIGINT,
    last_seq        BIGINT NOT NULL DEFAULT 0,
    received        BIGINT NOT NULL DEFAULT 0,
    quarantined     BIGINT NOT NULL DEFAULT 0,
    deferred        BIGINT NOT NULL DEFAULT 0,
    service_id      TEXT COLLATE "C",
    label           TEXT COLLATE "C",
    services        TEXT COLLATE "C"
);

-- The idempotent inbox: every mutation ever received, with its hash and its
-- receipt; the raw payload kept for quarantined and deferred mutations.
CREATE TABLE inbox (
    install_id      TEXT COLLATE "C" NOT NULL,
    seq             BIGINT NOT NULL,
    mutation_id     TEXT COLLATE "C" NOT NULL UNIQUE,
    payload_hash    TEXT COLLATE "C" NOT NULL,
    kind            TEXT COLLATE "C" NOT NULL,
    entity_id       TEXT COLLATE "C" NOT NULL,
    payload_version BIGINT NOT NULL,
    device_time     TEXT COLLATE "C" NOT NULL,
    received_at     TEXT COLLATE "C" NOT NULL,
    clock_offset_ms BIGINT,
    payload         TEXT COLLATE "C" CHECK (payload IS NOT NULL OR status = 'stored'),
    status          TEXT COLLATE "C" NOT NULL CHECK (status IN ('stored', 'quarantined', 'deferred')),
    reason          TEXT COLLATE "C",
    PRIMARY KEY (install_id, seq)
);

CREATE INDEX inbox_by_status ON inbox(status) WHERE status <> 'stored';
CREATE INDEX inbox_by_entity ON inbox(entity_id) WHERE status = 'quarantined';

-- Visits as last applied (the newest revision wins).
CREATE TABLE visit (
    id            TEXT COLLATE "C" PRIMARY KEY,
    device_id     TEXT COLLATE "C" NOT NULL REFERENCES device(id),
    tablet        TEXT COLLATE "C" NOT NULL,
    day           TEXT COLLATE "C" NOT NULL,
    step          TEXT COLLATE "C" NOT NULL,
    outcome       TEXT COLLATE "C" NOT NULL,
    revision      BIGINT NOT NULL,
    opened_at     TEXT COLLATE "C" NOT NULL,
    received_at   TEXT COLLATE "C" NOT NULL,
    clock_suspect BOOLEAN NOT NULL,
    snapshot      TEXT COLLATE "C" NOT NULL
);

CREATE INDEX visit_by_day ON visit(day, opened_at);

-- Every ticket code seen, for the day: a code belongs to one visit.
CREATE TABLE ticket (
    day        TEXT COLLATE "C" NOT NULL,
    code       TEXT COLLATE "C" NOT NULL,
    visit_id   TEXT COLLATE "C" NOT NULL,
    service_id TEXT COLLATE "C" NOT NULL,
    issued_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (day, code)
);

-- The authoritative catalogue: every record at its latest catalogue version;
-- a NULL record is a tombstone.
CREATE TABLE catalogue_item (
    kind    TEXT COLLATE "C" NOT NULL CHECK (kind IN ('service', 'demarche')),
    id      TEXT COLLATE "C" NOT NULL,
    version BIGINT NOT NULL UNIQUE,
    record  TEXT COLLATE "C",
    PRIMARY KEY (kind, id)
);

-- Each stored visit flattened for the journal's filters and the indicators.
CREATE TABLE visit_fact (
    visit_id           TEXT COLLATE "C" PRIMARY KEY REFERENCES visit(id) ON DELETE CASCADE,
    day                TEXT COLLATE "C" NOT NULL,
    hour               BIGINT NOT NULL CHECK (hour BETWEEN 0 AND 23),
    tablet             TEXT COLLATE "C" NOT NULL,
    agent              TEXT COLLATE "C",
    outcome            TEXT COLLATE "C" NOT NULL,
    service            TEXT COLLATE "C",
    demarche           TEXT COLLATE "C",
    demarches          TEXT COLLATE "C" NOT NULL,
    unmet              TEXT COLLATE "C",
    listen_s           BIGINT,
    qualify_s          BIGINT,
    orient_s           BIGINT,
    accompany_s        BIGINT,
    accompanied        BOOLEAN,
    ticket             TEXT COLLATE "C",
    satisfaction       TEXT COLLATE "C",
    repeated_situation BOOLEAN
);

CREATE INDEX visit_fact_by_day ON visit_fact(day, hour);

-- Days marked reviewed by a lead.
CREATE TABLE day_signoff (
    day       TEXT COLLATE "C" PRIMARY KEY,
    comment   TEXT COLLATE "C" NOT NULL,
    device_id TEXT COLLATE "C" NOT NULL REFERENCES device(id),
    signed_by TEXT COLLATE "C" NOT NULL,
    signed_at TEXT COLLATE "C" NOT NULL
);

-- What is kept of a day past the retention period (cells of 5 visits or more).
CREATE TABLE visit_aggregate (
    day      TEXT COLLATE "C" NOT NULL,
    hour     BIGINT CHECK (hour BETWEEN 0 AND 23),
    demarche TEXT COLLATE "C",
    outcome  TEXT COLLATE "C",
    visits   BIGINT NOT NULL CHECK (visits > 0)
);

CREATE INDEX visit_aggregate_by_day ON visit_aggregate(day);

-- The queues: one row per ticket a counter can call, for its day.
CREATE TABLE queue_ticket (
    day            TEXT COLLATE "C" NOT NULL,
    code           TEXT COLLATE "C" NOT NULL,
    service_id     TEXT COLLATE "C" NOT NULL,
    issued_at      TEXT COLLATE "C" NOT NULL,
    visit_id       TEXT COLLATE "C",
    adopted_at     TEXT COLLATE "C",
    state          TEXT COLLATE "C" NOT NULL CHECK (state IN ('waiting', 'called', 'present', 'served', 'no_show', 'cancelled')),
    counter_id     TEXT COLLATE "C",
    counter_label  TEXT COLLATE "C",
    calls          BIGINT NOT NULL DEFAULT 0,
    called_at      TEXT COLLATE "C",
    last_call_at   TEXT COLLATE "C",
    arrived_at     TEXT COLLATE "C",
    served_at      TEXT COLLATE "C",
    outcome        TEXT COLLATE "C" CHECK (outcome IN ('done', 'come_back', 'redirected')),
    quoted_max_min BIGINT,
    PRIMARY KEY (day, code)
);

CREATE INDEX queue_ticket_by_service ON queue_ticket(day, service_id, state, issued_at);
CREATE INDEX queue_ticket_by_visit ON queue_ticket(visit_id) WHERE visit_id IS NOT NULL;

-- Every event of a ticket's life in the server's order; seq is the event id
-- of the live updates (assigned under the write lock, so in commit order).
CREATE TABLE ticket_event (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      TEXT COLLATE "C" NOT NULL UNIQUE,
    request_hash  TEXT COLLATE "C" NOT NULL,
    day           TEXT COLLATE "C" NOT NULL,
    code          TEXT COLLATE "C" NOT NULL,
    kind          TEXT COLLATE "C" NOT NULL CHECK (kind IN ('issued', 'adopted', 'called', 'recalled', 'arrived', 'served', 'no_show', 'transferred', 'reactivated', 'cancelled')),
    service_id    TEXT COLLATE "C" NOT NULL,
    device_id     TEXT COLLATE "C" NOT NULL,
    counter_label TEXT COLLATE "C",
    calls         BIGINT NOT NULL DEFAULT 0,
    detail        TEXT COLLATE "C",
    device_time   TEXT COLLATE "C" NOT NULL,
    server_time   TEXT COLLATE "C" NOT NULL
);

CREATE INDEX ticket_event_by_day ON ticket_event(day, kind, seq);

-- The lead's repairs of quarantined records: who, when, what changed, why.
CREATE TABLE quarantine_repair (
    install_id      TEXT COLLATE "C" NOT NULL,
    seq             BIGINT NOT NULL,
    repaired_by     TEXT COLLATE "C" NOT NULL,
    repaired_at     TEXT COLLATE "C" NOT NULL,
    replacements    TEXT COLLATE "C" NOT NULL,
    original_reason TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (install_id, seq),
    FOREIGN KEY (install_id, seq) REFERENCES inbox(install_id, seq)
);
