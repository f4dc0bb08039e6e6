-- A member's life as events, the tree through time, and the dated ledger of counts
-- (see chibo_domain::life). Keep in step with ../sqlite/0003_history.sql.

-- Every change to a member's standing, never edited: corrections are new rows that void.
CREATE TABLE member_events (
    id UUID PRIMARY KEY NOT NULL,
    member_id UUID NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    effective_on DATE NOT NULL,
    org_id UUID REFERENCES orgs(id),
    ref_id UUID REFERENCES member_events(id),
    decision_number TEXT,
    decision_body TEXT,
    decision_on DATE,
    detail TEXT NOT NULL,
    recorded_by UUID,
    recorded_by_name TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

-- The replayed periods of membership (home) and temporary attachment, rewritten per member
-- from the events.
CREATE TABLE member_spans (
    member_id UUID NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    status TEXT NOT NULL,
    from_on DATE NOT NULL,
    to_on DATE
);

-- Dated changes of each organisation's subtree counts; a count on a date is a sum.
CREATE TABLE org_tally (
    org_id UUID NOT NULL REFERENCES orgs(id),
    on_date DATE NOT NULL,
    members BIGINT NOT NULL,
    official BIGINT NOT NULL,
    probationary BIGINT NOT NULL,
    female BIGINT NOT NULL,
    minority BIGINT NOT NULL,
    PRIMARY KEY (org_id, on_date)
);

-- Each organisation's parent and name for a period [from_on, to_on); NULL from: always.
CREATE TABLE org_links (
    org_id UUID NOT NULL REFERENCES orgs(id),
    parent_id UUID REFERENCES orgs(id),
    name TEXT NOT NULL,
    from_on DATE,
    to_on DATE
);

-- Restructuring decisions: established, renamed, moved, merged, split, dissolved.
CREATE TABLE org_events (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    effective_on DATE NOT NULL,
    decision_number TEXT,
    decision_body TEXT,
    detail TEXT NOT NULL,
    recorded_by UUID,
    recorded_by_name TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

-- Party badges awarded (Huy hiệu Đảng): never the same milestone twice.
CREATE TABLE badge_awards (
    id UUID PRIMARY KEY NOT NULL,
    member_id UUID NOT NULL REFERENCES members(id),
    years BIGINT NOT NULL,
    award_on DATE NOT NULL,
    decision_number TEXT,
    early TEXT,
    recorded_by UUID,
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (member_id, years)
);

-- Candidates for admission (quần chúng ưu tú) and their dossier.
CREATE TABLE candidates (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    org_path TEXT COLLATE "C" NOT NULL,
    family_name TEXT NOT NULL,
    middle_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    birth_date DATE NOT NULL,
    gender TEXT NOT NULL,
    ethnicity_code BIGINT NOT NULL,
    citizen_id TEXT,
    youth_union_member BOOLEAN NOT NULL DEFAULT FALSE,
    dossier TEXT NOT NULL,
    state TEXT NOT NULL,
    member_id UUID REFERENCES members(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

ALTER TABLE members ADD COLUMN exempt_since DATE;
ALTER TABLE members ADD COLUMN attached_org_id UUID REFERENCES orgs(id);
ALTER TABLE members ADD COLUMN transit_org_id UUID REFERENCES orgs(id);
ALTER TABLE members ADD COLUMN ended_on DATE;
