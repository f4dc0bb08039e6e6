-- The working day a bulk load was generated for (a demo's own day). `chibo serve` runs a demo
-- database on that day unless told to use the real clock, so a demo shows what it would show on
-- its own day whatever the month it is served in.
ALTER TABLE bulk_loads ADD COLUMN as_of TEXT;
