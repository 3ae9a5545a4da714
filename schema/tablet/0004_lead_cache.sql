-- Volant tablet store, migration 4: what a lead device last fetched from the
-- server, so the lead's screens still show it offline. Deleted with the
-- tablet's retention, by the day it is about.
-- Append-only: never edit a migration once it has landed; add a new one.

CREATE TABLE lead_cache (
    key        TEXT PRIMARY KEY,
    day        TEXT NOT NULL,
    body       TEXT NOT NULL CHECK (json_valid(body)),
    fetched_at TEXT NOT NULL
) STRICT;
