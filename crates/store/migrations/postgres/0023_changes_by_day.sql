-- The changes of each organisation's subtree kept per month and per day (the statistics
-- report, chibo_domain::report::kept_changes): per organisation, period and line of the
-- changes, how many changes, each counted in the tree of its date. The period is a month
-- ('2025-03') or a day ('2025-03-17'); every change is kept in both, so the days of a period
-- that is not whole months are sums of rows too. Recreated empty: the store's start builds
-- it again from the events (change_counts::backfill). Keep in step with ../sqlite/0023_changes_by_day.sql.
-- A key of the old table that a stopped bulk load set aside (PostgreSQL) goes with it: the new
-- table has its own, and adding the old one back would fail.
DELETE FROM bulk_foreign_keys WHERE table_name = 'change_counts';
DROP TABLE change_counts;
CREATE TABLE change_counts (
    org_id UUID NOT NULL REFERENCES orgs(id),
    period TEXT NOT NULL,
    line TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, period, line)
);
