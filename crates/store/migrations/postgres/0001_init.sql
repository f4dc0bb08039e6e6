-- chibo schema, PostgreSQL. Keep in step with ../sqlite/0001_init.sql (same tables, columns
-- and constraints; only the types differ). Secondary indexes live in src/schema.rs.
CREATE TABLE orgs (
    id UUID PRIMARY KEY NOT NULL,
    parent_id UUID REFERENCES orgs(id),
    path TEXT COLLATE "C" NOT NULL UNIQUE,
    depth BIGINT NOT NULL,
    next_child BIGINT NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    name_search TEXT COLLATE "C" NOT NULL,
    province_code BIGINT,
    commune_code BIGINT,
    village TEXT,
    established_on DATE,
    dissolved_on DATE,
    has_cell_committee BOOLEAN NOT NULL DEFAULT FALSE,
    member_count BIGINT NOT NULL DEFAULT 0,
    official_count BIGINT NOT NULL DEFAULT 0,
    probationary_count BIGINT NOT NULL DEFAULT 0,
    female_count BIGINT NOT NULL DEFAULT 0,
    minority_count BIGINT NOT NULL DEFAULT 0,
    cell_count BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE members (
    id UUID PRIMARY KEY NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    org_path TEXT COLLATE "C" NOT NULL,
    province_code BIGINT,
    family_name TEXT NOT NULL,
    middle_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    search_key TEXT COLLATE "C" NOT NULL,
    birth_date DATE NOT NULL,
    gender TEXT NOT NULL,
    ethnicity_code BIGINT NOT NULL,
    religion TEXT,
    home_town TEXT,
    permanent_residence TEXT,
    current_residence TEXT,
    citizen_id TEXT UNIQUE,
    party_card_number TEXT UNIQUE,
    general_education TEXT,
    professional_education TEXT,
    theory_level TEXT NOT NULL,
    occupation TEXT,
    position TEXT,
    admission_date DATE NOT NULL,
    official_date DATE,
    status TEXT NOT NULL,
    age_exception_approved BOOLEAN NOT NULL DEFAULT FALSE,
    phone TEXT,
    email TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE member_flags (
    id UUID PRIMARY KEY NOT NULL,
    member_id UUID NOT NULL REFERENCES members(id),
    other_member_id UUID NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    resolved_by UUID
);

CREATE TABLE users (
    id UUID PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    lang TEXT NOT NULL DEFAULT 'vi',
    created_at TIMESTAMPTZ NOT NULL,
    password_changed_at TIMESTAMPTZ NOT NULL,
    last_login_at TIMESTAMPTZ
);

CREATE TABLE grants (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    org_id UUID NOT NULL REFERENCES orgs(id),
    member_id UUID REFERENCES members(id),
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, role, org_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    client_addr TEXT
);

CREATE TABLE audit_log (
    id UUID PRIMARY KEY NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    user_id UUID,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id UUID,
    org_path TEXT COLLATE "C",
    before_json TEXT,
    after_json TEXT
);
