-- Volant tablet, migration 5: what the counters did with this tablet's
-- tickets, as the server said at the last sync (shown in the day's journal).
-- Append-only: never edit once landed.
CREATE TABLE ticket_state (
    day     TEXT NOT NULL,
    code    TEXT NOT NULL,
    state   TEXT NOT NULL,
    counter TEXT,
    PRIMARY KEY (day, code)
) STRICT;
