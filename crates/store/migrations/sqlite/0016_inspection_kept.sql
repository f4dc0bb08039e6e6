-- Inspection, kept for scale and numbered (issue 15): the denominator of coverage kept per
-- organisation, and the number of a conclusion's notice. Keep in step with
-- ../postgres/0016_inspection_kept.sql.

-- Per organisation, the organisations of its subtree owed coverage (active, not party groups,
-- strictly under it) with the tree as it is now; kept in step by every tree change
-- (derived::with_derived), recounted by `chibo check` from the paths.
CREATE TABLE inspection_owed (
    org_id BLOB PRIMARY KEY NOT NULL REFERENCES orgs(id),
    n INTEGER NOT NULL
);
-- A database written before this migration: counted once from the paths.
INSERT INTO inspection_owed (org_id, n)
SELECT a.id, COUNT(*) FROM orgs a JOIN orgs o ON o.path LIKE a.path || '%' AND o.path <> a.path
WHERE o.dissolved_on IS NULL AND o.kind <> 'party_group'
GROUP BY a.id;

-- The notice of a conclusion (Số …-TB/UBKT, …-TB/ĐU, …-TB/CB): numbered from 1 in each year for
-- each issuing body (the organisation's inspection committee, or its committee).
ALTER TABLE inspection_cases ADD COLUMN notice_year INTEGER;
ALTER TABLE inspection_cases ADD COLUMN notice_number INTEGER;
CREATE UNIQUE INDEX inspection_cases_notice ON inspection_cases (org_id, by_inspection, notice_year, notice_number);
