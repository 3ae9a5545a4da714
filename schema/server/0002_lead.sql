-- Volant mairie server, migration 2: what the team lead reviews. Append-only:
-- never edit once landed.

-- Each stored visit flattened for the journal's filters and the indicators
-- (written with the visit; deleted with it).
CREATE TABLE visit_fact (
    visit_id    TEXT PRIMARY KEY REFERENCES visit(id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    hour        INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    tablet      TEXT NOT NULL,
    agent       TEXT,
    outcome     TEXT NOT NULL,
    service     TEXT,
    demarche    TEXT,
    demarches   TEXT NOT NULL,
    unmet       TEXT,
    listen_s    INTEGER,
    qualify_s   INTEGER,
    orient_s    INTEGER,
    accompany_s INTEGER,
    accompanied INTEGER CHECK (accompanied IN (0, 1)),
    ticket      TEXT
) STRICT;

CREATE INDEX visit_fact_by_day ON visit_fact(day, hour);

-- Days marked reviewed by a lead.
CREATE TABLE day_signoff (
    day       TEXT PRIMARY KEY,
    comment   TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES device(id),
    signed_by TEXT NOT NULL,
    signed_at TEXT NOT NULL
) STRICT;

-- What is kept of a day past the retention period: visit counts by hour ×
-- main démarche × outcome; NULL is a dimension hidden to keep every detailed
-- cell at 5 visits or more ('' is « no démarche »).
CREATE TABLE visit_aggregate (
    day      TEXT NOT NULL,
    hour     INTEGER CHECK (hour BETWEEN 0 AND 23),
    demarche TEXT,
    outcome  TEXT,
    visits   INTEGER NOT NULL CHECK (visits > 0)
) STRICT;

CREATE INDEX visit_aggregate_by_day ON visit_aggregate(day);

CREATE INDEX inbox_by_entity ON inbox(entity_id) WHERE status = 'quarantined';
