-- The kept structure keeps each date twice: by month under the dimension's key ('age':
-- '1990-05') and by day under its day key ('age_day': '1990-05-17'), so that a report sums the
-- months and only the days of the months a band boundary falls in (chibo_domain::report::
-- kept_rows). The kept rows are built again at the next start (structure_counts::backfill
-- rebuilds an empty table).
DELETE FROM structure_counts;
