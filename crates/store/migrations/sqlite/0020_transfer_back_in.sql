-- The rule for a transfer in changed: a member who comes back from an organisation outside the
-- installation is transferred in wherever the transfer puts them, even into the subtree they
-- left from (domain::report::place). The kept changes are built again from the events at the
-- next start (change_counts::backfill rebuilds an empty table).
DELETE FROM change_counts;
