-- Cell meetings (chibo_domain::meeting): plans, meetings, attendance, speakers, documents,
-- absence notices, corrections, scoring sheets, and the figures kept per cell and period and
-- rolled up per organisation. Keep in step with ../postgres/0004_meetings.sql.

-- A province's (or any organisation's) scoring sheet, in force from a date for its subtree.
CREATE TABLE scoring_sheets (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A cell's yearly plan of thematic topics (kế hoạch sinh hoạt chuyên đề).
CREATE TABLE meeting_topics (
    id BLOB PRIMARY KEY NOT NULL,
    cell_id BLOB NOT NULL REFERENCES orgs(id),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- One meeting. The attendance counts and the rating are derived and kept in step.
CREATE TABLE meetings (
    id BLOB PRIMARY KEY NOT NULL,
    cell_id BLOB NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    held_on TEXT NOT NULL,
    starts_at TEXT,
    ends_at TEXT,
    place TEXT NOT NULL,
    agenda TEXT NOT NULL,
    topic_id BLOB REFERENCES meeting_topics(id),
    chair_id BLOB REFERENCES members(id),
    recorder_id BLOB REFERENCES members(id),
    guests TEXT NOT NULL,
    followup TEXT NOT NULL,
    conclusions TEXT NOT NULL,
    resolution TEXT NOT NULL,
    votes_for INTEGER,
    votes_against INTEGER,
    votes_abstain INTEGER,
    present INTEGER NOT NULL,
    excused INTEGER NOT NULL,
    unexcused INTEGER NOT NULL,
    exempt INTEGER NOT NULL,
    special_duty INTEGER NOT NULL,
    exempt_present INTEGER NOT NULL,
    scores TEXT,
    score INTEGER,
    rating TEXT,
    approved_at TEXT,
    approved_by TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The roll of a meeting (the invitations) and each member's mark once held.
CREATE TABLE meeting_attendance (
    meeting_id BLOB NOT NULL REFERENCES meetings(id),
    member_id BLOB NOT NULL REFERENCES members(id),
    standing TEXT NOT NULL,
    attachment TEXT NOT NULL,
    exempt INTEGER NOT NULL,
    suspended INTEGER NOT NULL,
    mark TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);

-- Who spoke and what they said, in order.
CREATE TABLE meeting_speakers (
    meeting_id BLOB NOT NULL REFERENCES meetings(id),
    seq INTEGER NOT NULL,
    member_id BLOB REFERENCES members(id),
    name TEXT NOT NULL,
    opinion TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq)
);

-- Files attached to a meeting, stored in the database (checked type, bounded size).
CREATE TABLE meeting_documents (
    id BLOB PRIMARY KEY NOT NULL,
    meeting_id BLOB NOT NULL REFERENCES meetings(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    body BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);

-- A member's advance notice of absence, and the secretary's answer.
CREATE TABLE meeting_notices (
    meeting_id BLOB NOT NULL REFERENCES meetings(id),
    member_id BLOB NOT NULL REFERENCES members(id),
    reason TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    answer TEXT,
    answered_by TEXT,
    answered_at TEXT,
    PRIMARY KEY (meeting_id, member_id)
);

-- Changes to a held meeting, each with its reason (never edited).
CREATE TABLE meeting_corrections (
    id BLOB PRIMARY KEY NOT NULL,
    meeting_id BLOB NOT NULL REFERENCES meetings(id),
    reason TEXT NOT NULL,
    changes TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Each cell's figures for each opened period ('2025', '2025-Q1', '2025-01'), attributed to
-- the organisations above the cell on `as_of` (the last day of the period it existed).
CREATE TABLE meeting_cells (
    cell_id BLOB NOT NULL REFERENCES orgs(id),
    period TEXT NOT NULL,
    as_of TEXT NOT NULL,
    regular_owed INTEGER NOT NULL,
    regular_held INTEGER NOT NULL,
    thematic_owed INTEGER NOT NULL,
    thematic_held INTEGER NOT NULL,
    meetings INTEGER NOT NULL,
    present INTEGER NOT NULL,
    base INTEGER NOT NULL,
    good INTEGER NOT NULL,
    fair INTEGER NOT NULL,
    average INTEGER NOT NULL,
    poor INTEGER NOT NULL,
    unrated INTEGER NOT NULL,
    PRIMARY KEY (cell_id, period)
);

-- The sums of meeting_cells over each organisation's subtree, per opened period.
CREATE TABLE meeting_rollup (
    org_id BLOB NOT NULL REFERENCES orgs(id),
    period TEXT NOT NULL,
    regular_cells INTEGER NOT NULL,
    regular_met INTEGER NOT NULL,
    thematic_cells INTEGER NOT NULL,
    thematic_met INTEGER NOT NULL,
    meetings INTEGER NOT NULL,
    present INTEGER NOT NULL,
    base INTEGER NOT NULL,
    good INTEGER NOT NULL,
    fair INTEGER NOT NULL,
    average INTEGER NOT NULL,
    poor INTEGER NOT NULL,
    unrated INTEGER NOT NULL,
    PRIMARY KEY (org_id, period)
);

-- The periods whose meeting_cells and meeting_rollup rows exist for every cell, computed as
-- known on `through` (months not ended by then are owed only where already held).
CREATE TABLE meeting_periods (
    period TEXT PRIMARY KEY NOT NULL,
    through TEXT NOT NULL,
    opened_at TEXT NOT NULL
);
