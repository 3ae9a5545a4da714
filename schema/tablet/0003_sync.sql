-- Volant tablet store, migration 3: what the server said of each outbox row,
-- and the staging table of a full catalogue resync.
-- Append-only: never edit a migration once it has landed; add a new one.

ALTER TABLE outbox ADD COLUMN server_status TEXT
    CHECK (server_status IS NULL OR server_status IN ('stored', 'quarantined', 'deferred'));
ALTER TABLE outbox ADD COLUMN server_reason TEXT;

CREATE INDEX outbox_acked ON outbox(acked_at) WHERE acked_at IS NOT NULL;

-- A full catalogue resync fills this page by page; the last page swaps it in
-- atomically, so search keeps working on the old catalogue meanwhile.
CREATE TABLE catalogue_staging (
    kind   TEXT NOT NULL CHECK (kind IN ('service', 'demarche')),
    id     TEXT NOT NULL,
    record TEXT NOT NULL CHECK (json_valid(record)),
    PRIMARY KEY (kind, id)
) STRICT;
