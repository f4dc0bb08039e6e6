-- The centre at the root of the nation's tree keeps its structure's changes by day as well as by month (keys
-- 'd2025-11-10', after every month's 'YYYY-MM'), so that a report of a day within a month at
-- the root reads the days between that day and the nearer edge of its month from kept rows
-- instead of member by member (store::structure_changes::within). Emptied here: the next start
-- rebuilds the table from the spans (store::structure_changes::backfill).
DELETE FROM structure_changes;
