-- The annual review (chibo_domain::review): rounds, each member's and organisation's line with
-- the self-assessment, the cell's opinion and the decision in force, the decisions themselves
-- (never edited: a correction is a new row), self-improvement plans, the committees' settings,
-- and the figures kept per period and organisation. Keep in step with ../postgres/0011_review.sql.

-- A committee's settings for the review of its subtree from a date: its own member sheet
-- (JSON, NULL: the default) and its quota of "xuất sắc" (NULL num: the rules' default;
-- quota_off: none).
CREATE TABLE review_settings (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    effective_from TEXT NOT NULL,
    sheet TEXT,
    quota_num INTEGER,
    quota_den INTEGER,
    quota_off INTEGER NOT NULL,
    by_name TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A round opened by a committee for its subtree. `period` is the key of its figures
-- ('year:2025', 'quarter:2025-Q4', 'term:2020-10-01..2025-09-30'); the sheet and quota in use
-- are frozen at opening.
CREATE TABLE review_rounds (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    self_due TEXT NOT NULL,
    cell_due TEXT NOT NULL,
    decision_due TEXT NOT NULL,
    status TEXT NOT NULL,
    rules_source TEXT NOT NULL,
    sheet TEXT,
    quota_num INTEGER,
    quota_den INTEGER,
    opened_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    version INTEGER NOT NULL
);

-- Each member of a round (the roll frozen at opening): the cell, the base organisation (the
-- quota's unit and the decider), why not rated, the self-assessment, the cell's opinion and the
-- decided level in force, and `outcome`, what the figures count.
CREATE TABLE review_members (
    round_id BLOB NOT NULL REFERENCES review_rounds(id),
    member_id BLOB NOT NULL REFERENCES members(id),
    org_id BLOB NOT NULL REFERENCES orgs(id),
    base_id BLOB NOT NULL REFERENCES orgs(id),
    not_rated TEXT,
    outcome TEXT NOT NULL,
    self_at TEXT,
    self_by TEXT,
    scores TEXT,
    score INTEGER,
    tasks_total INTEGER,
    tasks_on_time INTEGER,
    tasks_exceeded INTEGER,
    strengths TEXT NOT NULL,
    shortcomings TEXT NOT NULL,
    causes TEXT NOT NULL,
    remedies TEXT NOT NULL,
    self_level TEXT,
    cell_level TEXT,
    cell_comments TEXT NOT NULL,
    votes_for INTEGER,
    votes_against INTEGER,
    votes_abstain INTEGER,
    sick_leave_months INTEGER NOT NULL,
    meeting_id BLOB REFERENCES meetings(id),
    cell_at TEXT,
    cell_by TEXT,
    level TEXT,
    decision_id BLOB,
    version INTEGER NOT NULL,
    PRIMARY KEY (round_id, member_id)
);

-- Each organisation of a round (every active one under the opener, not the opener itself):
-- who decides (its base organisation, or the committee directly above), its own assessment with
-- the facts that cap it, and the decided level in force.
CREATE TABLE review_orgs (
    round_id BLOB NOT NULL REFERENCES review_rounds(id),
    org_id BLOB NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    decider_id BLOB NOT NULL REFERENCES orgs(id),
    not_rated TEXT,
    outcome TEXT NOT NULL,
    self_level TEXT,
    self_text TEXT NOT NULL,
    sub_units INTEGER NOT NULL,
    sub_units_disciplined INTEGER NOT NULL,
    targets INTEGER NOT NULL,
    targets_met INTEGER NOT NULL,
    self_at TEXT,
    self_by TEXT,
    level TEXT,
    decision_id BLOB,
    version INTEGER NOT NULL,
    PRIMARY KEY (round_id, org_id)
);

-- Decisions (quyết định xếp loại), never edited: a correction is a new row naming the one it
-- replaces, with its reason.
CREATE TABLE review_decisions (
    id BLOB PRIMARY KEY NOT NULL,
    round_id BLOB NOT NULL REFERENCES review_rounds(id),
    subject TEXT NOT NULL,
    subject_id BLOB NOT NULL,
    level TEXT NOT NULL,
    number TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    reason TEXT NOT NULL,
    self_corrected INTEGER NOT NULL,
    corrects BLOB REFERENCES review_decisions(id),
    by_name TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Self-improvement plans after a round, for a member or an organisation, and their items.
CREATE TABLE review_plans (
    id BLOB PRIMARY KEY NOT NULL,
    round_id BLOB NOT NULL REFERENCES review_rounds(id),
    subject TEXT NOT NULL,
    subject_id BLOB NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    by_name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL
);

CREATE TABLE review_plan_items (
    id BLOB PRIMARY KEY NOT NULL,
    plan_id BLOB NOT NULL REFERENCES review_plans(id),
    seq INTEGER NOT NULL,
    content TEXT NOT NULL,
    responsible TEXT NOT NULL,
    deadline TEXT NOT NULL,
    done_on TEXT,
    note TEXT NOT NULL
);

-- The figures: per period key and organisation, how many members ('member') and organisations
-- (by kind code) of its subtree stand at each outcome, attributed with the tree of the
-- period's last day. Kept in step by every write; recounted by `chibo check`.
CREATE TABLE review_counts (
    period TEXT NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    subject TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (period, org_id, subject, outcome)
);
