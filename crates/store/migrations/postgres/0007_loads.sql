-- Bulk loads (nạp dữ liệu hàng loạt) and how far each got. A row is written when a load
-- starts and `finished_at` is set in the same transaction as the load's last write, so a
-- load killed half-way stays visible: `chibo check` fails on it and `serve` refuses it.
CREATE TABLE bulk_loads (
    id UUID PRIMARY KEY NOT NULL,
    what TEXT NOT NULL,
    scale TEXT NOT NULL,
    seed BIGINT NOT NULL,
    stage TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
