-- The structure's changes kept by month at the central and provincial organisations
-- (store::structure_changes): per organisation, month of the change ('YYYY-MM'), dimension and
-- value, the members of its subtree who came onto the rolls that month less those who left.
-- A month-end report is today's kept structure less the months after it. Kept in step by every
-- write of spans, built by the bulk loader and at the first start (an empty table is rebuilt),
-- recounted by `chibo check`.
CREATE TABLE structure_changes (
    org_id BLOB NOT NULL REFERENCES orgs(id),
    changed_in TEXT NOT NULL,
    dim TEXT NOT NULL,
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, changed_in, dim, value)
) WITHOUT ROWID;
