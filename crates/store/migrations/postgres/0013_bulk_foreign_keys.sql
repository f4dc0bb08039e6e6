-- Foreign keys set aside by a bulk load on PostgreSQL (src/foreign_keys.rs): each is written
-- here in the transaction that drops it and added back, checking every row, at the load's end
-- (or at the next start, after a load stopped half-way). SQLite keeps its keys during a load,
-- so the table stays empty there. Keep in step with the twin under the other engine.
CREATE TABLE bulk_foreign_keys (
    table_name TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (table_name, name)
);
