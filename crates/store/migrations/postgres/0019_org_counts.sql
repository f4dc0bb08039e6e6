-- The organisations of each organisation's subtree kept in step with the tree (the statistics
-- report's organisation figures, chibo_store::org_counts): how many active organisations
-- strictly under it of each kind ('kind:commune') and how many cells of each village type
-- ('village:ap'). Changed where organisations are inserted, edited and moved, built by the
-- bulk loader, recounted by `chibo check`.
CREATE TABLE org_counts (
    org_id UUID NOT NULL REFERENCES orgs(id),
    line TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, line)
);
