-- The kept structure keeps the two date dimensions by date (a row per birth date and per
-- admission date under each organisation) instead of by their band on a kept day: a report
-- sums them by the bands of its own day, and a past date's report nets today's kept rows
-- with the members who changed since (store::structure_counts). No kept day any more; the
-- kept rows are built again at the next start (structure_counts::backfill rebuilds an empty
-- table).
DROP TABLE structure_day;
DELETE FROM structure_counts;
