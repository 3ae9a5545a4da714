-- Volant tablet store, migration 3: what the server said of the rows it did
-- not simply store, and the staging table of a full catalogue resync.
-- Append-only: never edit a migration once it has landed; add a new one.

-- Receipts other than `stored`: quarantined (with the server's reason) or deferred.
CREATE TABLE outbox_receipt (
    seq    INTEGER PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('quarantined', 'deferred')),
    reason TEXT
) STRICT;

-- A full catalogue resync fills this page by page; the last page swaps it in
-- atomically, so search keeps working on the old catalogue meanwhile.
CREATE TABLE catalogue_staging (
    kind   TEXT NOT NULL CHECK (kind IN ('service', 'demarche')),
    id     TEXT NOT NULL,
    record TEXT NOT NULL CHECK (json_valid(record)),
    PRIMARY KEY (kind, id)
) STRICT;
