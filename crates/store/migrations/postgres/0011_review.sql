-- The annual review (chibo_domain::review): rounds, each member's and organisation's line with
-- the self-assessment, the cell's opinion and the decision in force, the decisions themselves
-- (never edited: a correction is a new row), self-improvement plans, the committees' settings,
-- and the figures kept per period and organisation. Keep in step with ../sqlite/0011_review.sql.

-- A committee's settings for the review of its subtree from a date: its own member sheet
-- (JSON, NULL: the default) and its quota of "xuất sắc" (NULL num: the rules' default;
-- quota_off: none).
CREATE TABLE review_settings (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    effective_from DATE NOT NULL,
    sheet TEXT,
    quota_num BIGINT,
    quota_den BIGINT,
    quota_off BOOLEAN NOT NULL,
    by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- A round opened by a committee for its subtree. `period` is the key of its figures
-- ('year:2025', 'quarter:2025-Q4', 'term:2020-10-01..2025-09-30'); the sheet and quota in use
-- are frozen at opening.
CREATE TABLE review_rounds (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    self_due DATE NOT NULL,
    cell_due DATE NOT NULL,
    decision_due DATE NOT NULL,
    status TEXT NOT NULL,
    rules_source TEXT NOT NULL,
    sheet TEXT,
    quota_num BIGINT,
    quota_den BIGINT,
    opened_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ,
    version BIGINT NOT NULL
);

-- Each member of a round (the roll frozen at opening): the cell, the base organisation (the
-- quota's unit and the decider), why not rated, the self-assessment, the cell's opinion and the
-- decided level in force, and `outcome`, what the figures count.
CREATE TABLE review_members (
    round_id UUID NOT NULL REFERENCES review_rounds(id),
    member_id UUID NOT NULL REFERENCES members(id),
    org_id UUID NOT NULL REFERENCES orgs(id),
    base_id UUID NOT NULL REFERENCES orgs(id),
    not_rated TEXT,
    outcome TEXT NOT NULL,
    self_at TIMESTAMPTZ,
    self_by TEXT,
    scores TEXT,
    score BIGINT,
    tasks_total BIGINT,
    tasks_on_time BIGINT,
    tasks_exceeded BIGINT,
    strengths TEXT NOT NULL,
    shortcomings TEXT NOT NULL,
    causes TEXT NOT NULL,
    remedies TEXT NOT NULL,
    self_level TEXT,
    cell_level TEXT,
    cell_comments TEXT NOT NULL,
    votes_for BIGINT,
    votes_against BIGINT,
    votes_abstain BIGINT,
    sick_leave_months BIGINT NOT NULL,
    meeting_id UUID REFERENCES meetings(id),
    cell_at TIMESTAMPTZ,
    cell_by TEXT,
    level TEXT,
    decision_id UUID,
    version BIGINT NOT NULL,
    PRIMARY KEY (round_id, member_id)
);

-- Each organisation of a round (every active one under the opener, not the opener itself):
-- who decides (its base organisation, or the committee directly above), its own assessment with
-- the facts that cap it, and the decided level in force.
CREATE TABLE review_orgs (
    round_id UUID NOT NULL REFERENCES review_rounds(id),
    org_id UUID NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL,
    decider_id UUID NOT NULL REFERENCES orgs(id),
    not_rated TEXT,
    outcome TEXT NOT NULL,
    self_level TEXT,
    self_text TEXT NOT NULL,
    sub_units BIGINT NOT NULL,
    sub_units_disciplined BIGINT NOT NULL,
    targets BIGINT NOT NULL,
    targets_met BIGINT NOT NULL,
    self_at TIMESTAMPTZ,
    self_by TEXT,
    level TEXT,
    decision_id UUID,
    version BIGINT NOT NULL,
    PRIMARY KEY (round_id, org_id)
);

-- Decisions (quyết định xếp loại), never edited: a correction is a new row naming the one it
-- replaces, with its reason.
CREATE TABLE review_decisions (
    id UUID PRIMARY KEY NOT NULL,
    round_id UUID NOT NULL REFERENCES review_rounds(id),
    subject TEXT NOT NULL,
    subject_id UUID NOT NULL,
    level TEXT NOT NULL,
    number TEXT NOT NULL,
    signed_on DATE NOT NULL,
    reason TEXT NOT NULL,
    self_corrected BOOLEAN NOT NULL,
    corrects UUID REFERENCES review_decisions(id),
    by_name TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

-- Self-improvement plans after a round, for a member or an organisation, and their items.
CREATE TABLE review_plans (
    id UUID PRIMARY KEY NOT NULL,
    round_id UUID NOT NULL REFERENCES review_rounds(id),
    subject TEXT NOT NULL,
    subject_id UUID NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE review_plan_items (
    id UUID PRIMARY KEY NOT NULL,
    plan_id UUID NOT NULL REFERENCES review_plans(id),
    seq BIGINT NOT NULL,
    content TEXT NOT NULL,
    responsible TEXT NOT NULL,
    deadline DATE NOT NULL,
    done_on DATE,
    note TEXT NOT NULL
);

-- The figures: per period key and organisation, how many members ('member') and organisations
-- (by kind code) of its subtree stand at each outcome, attributed with the tree of the
-- period's last day. Kept in step by every write; recounted by `chibo check`.
CREATE TABLE review_counts (
    period TEXT NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    subject TEXT NOT NULL,
    outcome TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (period, org_id, subject, outcome)
);
