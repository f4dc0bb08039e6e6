-- The kept structure keeps the two date dimensions by date (a row per birth date and per
-- admission date under each organisation) instead of by their band on a kept day: a report
-- sums them by the bands of its own day, and a past date's report nets today's kept rows
-- with the members who changed since (store::structure_counts). No kept day any more. The
-- table is made again without a rowid (its key is its only index: half the size for about
-- members × depth × 2 date rows); its rows are built again at the next start
-- (structure_counts::backfill rebuilds an empty table).
DROP TABLE structure_day;
DROP TABLE structure_counts;
CREATE TABLE structure_counts (
    org_id BLOB NOT NULL REFERENCES orgs(id),
    dim TEXT NOT NULL,
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, dim, value)
) WITHOUT ROWID;
