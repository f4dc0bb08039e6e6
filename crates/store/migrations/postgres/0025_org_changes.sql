-- The organisation figures' changes kept by month at the central and provincial organisations
-- (store::org_changes): per organisation, month ('YYYY-MM'; '0000-00' for a place in the tree
-- with no start date) and item of the organisation figures ('org_kind/commune',
-- 'org_village/ap'), the organisations of its subtree (today's tree) whose place in the tree
-- started that month less those whose place ended. The figures on a day are the sum of the
-- months up to its month, less the places that started in the rest of that month and plus
-- those that ended then. Kept in step where organisations are inserted, edited, moved and
-- relinked, built by the bulk loader and at the first start (an empty table is rebuilt),
-- recounted by `chibo check`.
CREATE TABLE org_changes (
    org_id UUID NOT NULL REFERENCES orgs(id),
    changed_in TEXT NOT NULL,
    line TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, changed_in, line)
);
