-- The structure's changes by month keyed by dimension first, and the day rows of a birth or
-- admission date by the month of that date (`value_month`, '' for every other row): a report of
-- a past date at the central or provincial level reads the months after it per dimension, and
-- of the day rows only the few months of dates it bands by day, each a range of the key
-- (store::structure_changes::after). Before, one range of the months after held every day row,
-- most of it read and dropped (at the nation's root years back, about 1.1 million rows).
-- Recreated empty here: the next start rebuilds it from the spans
-- (store::structure_changes::backfill).
DROP TABLE structure_changes;
CREATE TABLE structure_changes (
    org_id UUID NOT NULL REFERENCES orgs(id),
    dim TEXT NOT NULL,
    value_month TEXT NOT NULL,
    changed_in TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, dim, value_month, changed_in, value)
);
