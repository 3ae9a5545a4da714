-- The lead's repairs of quarantined records: who, when, what changed, and
-- why the record had been refused. A repaired record's inbox row becomes
-- `stored` (its visit is then applied); the raw payload stays as received.
CREATE TABLE quarantine_repair (
    install_id      TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    repaired_by     TEXT NOT NULL,
    repaired_at     TEXT NOT NULL,
    replacements    TEXT NOT NULL,
    original_reason TEXT NOT NULL,
    PRIMARY KEY (install_id, seq),
    FOREIGN KEY (install_id, seq) REFERENCES inbox(install_id, seq)
) STRICT;
