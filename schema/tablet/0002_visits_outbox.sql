-- Volant tablet store, migration 2: visits, tickets and the sync outbox.
-- Append-only: never edit a migration once it has landed; add a new one.

CREATE TABLE visit (
    id        TEXT PRIMARY KEY,
    day       TEXT NOT NULL,
    tablet    TEXT NOT NULL,
    step      TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    revision  INTEGER NOT NULL,
    snapshot  TEXT NOT NULL CHECK (json_valid(snapshot))
) STRICT;

CREATE INDEX visit_by_day ON visit(day, opened_at);

-- Every ticket this tablet ever issued, replaced ones included, so a code is
-- never given twice. The number restarts at 1 every day for every counter.
CREATE TABLE ticket (
    day        TEXT NOT NULL,
    code       TEXT NOT NULL,
    service_id TEXT NOT NULL,
    number     INTEGER NOT NULL CHECK (number >= 1),
    visit_id   TEXT NOT NULL REFERENCES visit(id),
    issued_at  TEXT NOT NULL,
    PRIMARY KEY (day, code),
    UNIQUE (day, service_id, number)
) STRICT;

-- The transactional outbox: one row per change, written in the change's own
-- transaction, carrying the entity's full snapshot.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY,
    mutation_id     TEXT NOT NULL UNIQUE,
    entity_kind     TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    payload_version INTEGER NOT NULL,
    payload         TEXT NOT NULL CHECK (json_valid(payload)),
    created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX outbox_by_entity ON outbox(entity_id, seq);

-- `last_seq`: the last seq handed out, an explicit counter so a seq is never
-- reused even after old rows are purged. `acked_seq`: every row up to it is
-- acknowledged by the server (acknowledgements are contiguous); the rows
-- after it are pending.
CREATE TABLE outbox_counter (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  INTEGER NOT NULL,
    acked_seq INTEGER NOT NULL CHECK (acked_seq <= last_seq)
) STRICT;

INSERT INTO outbox_counter (id, last_seq, acked_seq) VALUES (1, 0, 0);
