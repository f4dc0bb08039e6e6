-- Inspection, supervision and discipline (chibo_domain::inspection): yearly programmes and
-- their items, cases (decision, steps, conclusion, recommendations), discipline with its ballot
-- and decision, appeals, and the figures kept per period and organisation. Keep in step with
-- ../sqlite/0012_inspection.sql.

-- A committee's (or its inspection committee's) programme of inspection or supervision for a year.
CREATE TABLE inspection_programmes (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

-- What a programme plans: an organisation or a member, the content, the month; the case that
-- carried it out once decided.
CREATE TABLE inspection_items (
    id UUID PRIMARY KEY NOT NULL,
    programme_id UUID NOT NULL REFERENCES inspection_programmes(id),
    seq BIGINT NOT NULL,
    subject_org_id UUID NOT NULL REFERENCES orgs(id),
    subject_member_id UUID REFERENCES members(id),
    content TEXT NOT NULL,
    planned_month BIGINT NOT NULL,
    case_id UUID
);

-- A case: decided by an organisation's committee or its inspection committee (`by_inspection`)
-- on an organisation or a member (`subject_org_id`: the organisation, or the member's cell on
-- the decision's day); `covers`: an inspection or supervision of an organisation directly under
-- the decider (the coverage); `result`: 'open' until concluded, then the finding.
CREATE TABLE inspection_cases (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    by_inspection BOOLEAN NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT,
    subject TEXT NOT NULL,
    subject_org_id UUID NOT NULL REFERENCES orgs(id),
    subject_member_id UUID REFERENCES members(id),
    covers BOOLEAN NOT NULL,
    decision_number TEXT NOT NULL,
    decided_on DATE NOT NULL,
    team TEXT NOT NULL,
    content TEXT NOT NULL,
    due_on DATE NOT NULL,
    item_id UUID REFERENCES inspection_items(id),
    result TEXT NOT NULL,
    violated_on DATE,
    violation_level TEXT,
    grave TEXT,
    strengths TEXT NOT NULL,
    shortcomings TEXT NOT NULL,
    violations TEXT NOT NULL,
    concluded_on DATE,
    by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL,
    UNIQUE (org_id, decision_number)
);

-- The steps of a case with their deadlines (made at the decision) and the day each was taken.
CREATE TABLE inspection_steps (
    case_id UUID NOT NULL REFERENCES inspection_cases(id),
    step TEXT NOT NULL,
    seq BIGINT NOT NULL,
    deadline DATE,
    taken_on DATE,
    note TEXT NOT NULL,
    by_name TEXT,
    PRIMARY KEY (case_id, step)
);

-- Recommendations of a conclusion (kiến nghị): who, by when, done.
CREATE TABLE inspection_recommendations (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL REFERENCES inspection_cases(id),
    seq BIGINT NOT NULL,
    content TEXT NOT NULL,
    owner TEXT NOT NULL,
    deadline DATE NOT NULL,
    done_on DATE,
    note TEXT NOT NULL
);

-- Discipline from a case: the proposal, the self-review, the secret ballot (votes: 'form:n,…'),
-- the decision and the form in force (NULL once annulled on appeal); `event_id`: the member's
-- `disciplined` event.
CREATE TABLE inspection_disciplines (
    id UUID PRIMARY KEY NOT NULL,
    case_id UUID NOT NULL UNIQUE REFERENCES inspection_cases(id),
    proposed_form TEXT NOT NULL,
    proposed_on DATE NOT NULL,
    reason TEXT NOT NULL,
    self_review_on DATE,
    self_review TEXT NOT NULL,
    body_members BIGINT,
    votes TEXT NOT NULL,
    votes_none BIGINT,
    decided_form TEXT,
    decision_number TEXT,
    decided_on DATE,
    received_on DATE,
    form_in_force TEXT,
    event_id UUID,
    by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

-- An appeal against a discipline (khiếu nại kỷ luật): filed when, answered by which
-- organisation by when, the outcome.
CREATE TABLE inspection_appeals (
    id UUID PRIMARY KEY NOT NULL,
    discipline_id UUID NOT NULL UNIQUE REFERENCES inspection_disciplines(id),
    filed_on DATE NOT NULL,
    answer_by DATE NOT NULL,
    body_org_id UUID NOT NULL REFERENCES orgs(id),
    content TEXT NOT NULL,
    outcome TEXT,
    new_form TEXT,
    answer_number TEXT,
    answered_on DATE,
    by_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL
);

-- The figures: per period key ('year:2026', 'term:2025-07-01') and organisation, counts of its
-- subtree: 'case' by 'kind|result|subject', 'disciplined' by 'subject|form', and 'covered'
-- (organisations directly under a decider covered in the period, counted in the decider and
-- its ancestors). Attributed with the tree of the period's last day; kept in step by every
-- write; recounted by `chibo check`.
CREATE TABLE inspection_counts (
    period TEXT NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    measure TEXT NOT NULL,
    code TEXT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (period, org_id, measure, code)
);
