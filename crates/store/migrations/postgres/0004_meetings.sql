-- Cell meetings (chibo_domain::meeting): plans, meetings, attendance, speakers, documents,
-- absence notices, corrections, scoring sheets, and the figures kept per cell and period and
-- rolled up per organisation. Keep in step with ../sqlite/0004_meetings.sql.

-- A province's (or any organisation's) scoring sheet, in force from a date for its subtree.
CREATE TABLE scoring_sheets (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    effective_from DATE NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- A cell's yearly plan of thematic topics (kế hoạch sinh hoạt chuyên đề).
CREATE TABLE meeting_topics (
    id UUID PRIMARY KEY NOT NULL,
    cell_id UUID NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    month BIGINT NOT NULL,
    title TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- One meeting. The attendance counts and the rating are derived and kept in step.
CREATE TABLE meetings (
    id UUID PRIMARY KEY NOT NULL,
    cell_id UUID NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    held_on DATE NOT NULL,
    starts_at TEXT,
    ends_at TEXT,
    place TEXT NOT NULL,
    agenda TEXT NOT NULL,
    topic_id UUID REFERENCES meeting_topics(id),
    chair_id UUID REFERENCES members(id),
    recorder_id UUID REFERENCES members(id),
    guests TEXT NOT NULL,
    followup TEXT NOT NULL,
    conclusions TEXT NOT NULL,
    resolution TEXT NOT NULL,
    votes_for BIGINT,
    votes_against BIGINT,
    votes_abstain BIGINT,
    present BIGINT NOT NULL,
    excused BIGINT NOT NULL,
    unexcused BIGINT NOT NULL,
    exempt BIGINT NOT NULL,
    special_duty BIGINT NOT NULL,
    exempt_present BIGINT NOT NULL,
    scores TEXT,
    score BIGINT,
    rating TEXT,
    approved_at TIMESTAMPTZ,
    approved_by TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- The roll of a meeting (the invitations) and each member's mark once held.
CREATE TABLE meeting_attendance (
    meeting_id UUID NOT NULL REFERENCES meetings(id),
    member_id UUID NOT NULL REFERENCES members(id),
    standing TEXT NOT NULL,
    attachment TEXT NOT NULL,
    exempt BOOLEAN NOT NULL,
    suspended BOOLEAN NOT NULL,
    mark TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);

-- Who spoke and what they said, in order.
CREATE TABLE meeting_speakers (
    meeting_id UUID NOT NULL REFERENCES meetings(id),
    seq BIGINT NOT NULL,
    member_id UUID REFERENCES members(id),
    name TEXT NOT NULL,
    opinion TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq)
);

-- Files attached to a meeting, stored in the database (checked type, bounded size).
CREATE TABLE meeting_documents (
    id UUID PRIMARY KEY NOT NULL,
    meeting_id UUID NOT NULL REFERENCES meetings(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    body BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL
);

-- A member's advance notice of absence, and the secretary's answer.
CREATE TABLE meeting_notices (
    meeting_id UUID NOT NULL REFERENCES meetings(id),
    member_id UUID NOT NULL REFERENCES members(id),
    reason TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at TIMESTAMPTZ,
    PRIMARY KEY (meeting_id, member_id)
);

-- Changes to a held meeting, each with its reason (never edited).
CREATE TABLE meeting_corrections (
    id UUID PRIMARY KEY NOT NULL,
    meeting_id UUID NOT NULL REFERENCES meetings(id),
    reason TEXT NOT NULL,
    changes TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

-- Each cell's figures for each opened period ('2025', '2025-Q1', '2025-01'), attributed to
-- the organisations above the cell on `as_of` (the last day of the period it existed).
CREATE TABLE meeting_cells (
    cell_id UUID NOT NULL REFERENCES orgs(id),
    period TEXT NOT NULL,
    as_of DATE NOT NULL,
    regular_owed BIGINT NOT NULL,
    regular_held BIGINT NOT NULL,
    thematic_owed BIGINT NOT NULL,
    thematic_held BIGINT NOT NULL,
    meetings BIGINT NOT NULL,
    present BIGINT NOT NULL,
    base BIGINT NOT NULL,
    good BIGINT NOT NULL,
    fair BIGINT NOT NULL,
    average BIGINT NOT NULL,
    poor BIGINT NOT NULL,
    unrated BIGINT NOT NULL,
    PRIMARY KEY (cell_id, period)
);

-- The sums of meeting_cells over each organisation's subtree, per opened period.
CREATE TABLE meeting_rollup (
    org_id UUID NOT NULL REFERENCES orgs(id),
    period TEXT NOT NULL,
    regular_cells BIGINT NOT NULL,
    regular_met BIGINT NOT NULL,
    thematic_cells BIGINT NOT NULL,
    thematic_met BIGINT NOT NULL,
    meetings BIGINT NOT NULL,
    present BIGINT NOT NULL,
    base BIGINT NOT NULL,
    good BIGINT NOT NULL,
    fair BIGINT NOT NULL,
    average BIGINT NOT NULL,
    poor BIGINT NOT NULL,
    unrated BIGINT NOT NULL,
    PRIMARY KEY (org_id, period)
);

-- The periods whose meeting_cells and meeting_rollup rows exist for every cell, computed as
-- known on `through` (months not ended by then are owed only where already held).
CREATE TABLE meeting_periods (
    period TEXT PRIMARY KEY NOT NULL,
    through DATE NOT NULL,
    opened_at TIMESTAMPTZ NOT NULL
);
