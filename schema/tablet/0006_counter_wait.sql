-- Volant tablet, migration 6: the expected wait at each internal counter, as
-- the server last said it (the orient step shows it with its age, offline too).
-- Append-only: never edit once landed.
CREATE TABLE counter_wait (
    service       TEXT PRIMARY KEY,
    waiting       INTEGER NOT NULL,
    open_counters INTEGER NOT NULL,
    served_today  INTEGER NOT NULL,
    optimistic    INTEGER,
    pessimistic   INTEGER,
    past_closing  INTEGER NOT NULL,
    computed_at   TEXT NOT NULL,
    fetched_at    TEXT NOT NULL,
    CHECK ((optimistic IS NULL) = (pessimistic IS NULL))
) STRICT;
