-- The structure of each organisation's subtree kept in step with the records (the statistics
-- report, chibo_domain::report::kept): how many members on the rolls hold each value of each
-- dimension. The two date dimensions (age, party age) are kept as their band on the kept day
-- ('@31_40'), which structure_day holds. Changed by every write that changes the counters on
-- orgs, built by the bulk loader, recounted by `chibo check`.
CREATE TABLE structure_day (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    day DATE NOT NULL
);

CREATE TABLE structure_counts (
    org_id UUID NOT NULL REFERENCES orgs(id),
    dim TEXT NOT NULL,
    value TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (org_id, dim, value)
);
