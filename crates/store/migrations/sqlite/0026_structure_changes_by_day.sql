-- The structure's changes by month now keep the birth and admission dates by day too (keys
-- 'age_day' and 'party_age_day', beside the months), so that a report on any day, not only a
-- month's last, is summed from them (store::structure_changes::after). Emptied here: the next
-- start rebuilds the table from the spans (store::structure_changes::backfill).
DELETE FROM structure_changes;
