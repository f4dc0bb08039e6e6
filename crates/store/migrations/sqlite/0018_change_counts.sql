-- The changes of each organisation's subtree kept per month (the statistics report,
-- chibo_domain::report::kept_changes): per organisation, month ('2025-03') and line of the
-- changes ('admitted', 'transferred_out', 'admitted_young' …), how many changes, each counted
-- in the tree of its date. Changed with every member event and every change of the tree's
-- links, built by the bulk loader, recounted by `chibo check`.
CREATE TABLE change_counts (
    org_id BLOB NOT NULL REFERENCES orgs(id),
    month TEXT NOT NULL,
    line TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_id, month, line)
) WITHOUT ROWID;
