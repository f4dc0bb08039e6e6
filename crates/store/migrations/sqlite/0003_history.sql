-- A member's life as events, the tree through time, and the dated ledger of counts
-- (see chibo_domain::life). Keep in step with ../postgres/0003_history.sql.

-- Every change to a member's standing, never edited: corrections are new rows that void.
CREATE TABLE member_events (
    id BLOB PRIMARY KEY NOT NULL,
    member_id BLOB NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    org_id BLOB REFERENCES orgs(id),
    ref_id BLOB REFERENCES member_events(id),
    decision_number TEXT,
    decision_body TEXT,
    decision_on TEXT,
    detail TEXT NOT NULL,
    recorded_by BLOB,
    recorded_by_name TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- The replayed periods of membership (home) and temporary attachment, rewritten per member
-- from the events.
CREATE TABLE member_spans (
    member_id BLOB NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    status TEXT NOT NULL,
    from_on TEXT NOT NULL,
    to_on TEXT
);

-- Dated changes of each organisation's subtree counts; a count on a date is a sum.
CREATE TABLE org_tally (
    org_id BLOB NOT NULL REFERENCES orgs(id),
    on_date TEXT NOT NULL,
    members INTEGER NOT NULL,
    official INTEGER NOT NULL,
    probationary INTEGER NOT NULL,
    female INTEGER NOT NULL,
    minority INTEGER NOT NULL,
    PRIMARY KEY (org_id, on_date)
) WITHOUT ROWID;

-- Each organisation's parent and name for a period [from_on, to_on); NULL from: always.
CREATE TABLE org_links (
    org_id BLOB NOT NULL REFERENCES orgs(id),
    parent_id BLOB REFERENCES orgs(id),
    name TEXT NOT NULL,
    from_on TEXT,
    to_on TEXT
);

-- Restructuring decisions: established, renamed, moved, merged, split, dissolved.
CREATE TABLE org_events (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    decision_number TEXT,
    decision_body TEXT,
    detail TEXT NOT NULL,
    recorded_by BLOB,
    recorded_by_name TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- Party badges awarded (Huy hiệu Đảng): never the same milestone twice.
CREATE TABLE badge_awards (
    id BLOB PRIMARY KEY NOT NULL,
    member_id BLOB NOT NULL REFERENCES members(id),
    years INTEGER NOT NULL,
    award_on TEXT NOT NULL,
    decision_number TEXT,
    early TEXT,
    recorded_by BLOB,
    recorded_at TEXT NOT NULL,
    UNIQUE (member_id, years)
);

-- Candidates for admission (quần chúng ưu tú) and their dossier.
CREATE TABLE candidates (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    family_name TEXT NOT NULL,
    middle_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity_code INTEGER NOT NULL,
    citizen_id TEXT,
    youth_union_member INTEGER NOT NULL DEFAULT 0,
    dossier TEXT NOT NULL,
    state TEXT NOT NULL,
    member_id BLOB REFERENCES members(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

ALTER TABLE members ADD COLUMN exempt_since TEXT;
ALTER TABLE members ADD COLUMN attached_org_id BLOB REFERENCES orgs(id);
ALTER TABLE members ADD COLUMN transit_org_id BLOB REFERENCES orgs(id);
ALTER TABLE members ADD COLUMN ended_on TEXT;
