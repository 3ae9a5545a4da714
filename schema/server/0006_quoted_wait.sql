-- Volant mairie server, migration 6: the upper end of the wait the orient step
-- quoted with a ticket (minutes), from its visit's snapshot, so the lead sees
-- the share of visitors called before it.
-- Append-only: never edit once landed.
ALTER TABLE queue_ticket ADD COLUMN quoted_max_min INTEGER;
