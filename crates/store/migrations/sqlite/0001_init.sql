-- chibo schema, SQLite. Keep in step with ../postgres/0001_init.sql (same tables, columns
-- and constraints; only the types differ). Secondary indexes live in src/schema.rs.
CREATE TABLE orgs (
    id BLOB PRIMARY KEY NOT NULL,
    parent_id BLOB REFERENCES orgs(id),
    path TEXT NOT NULL UNIQUE,
    depth INTEGER NOT NULL,
    next_child INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT,
    name_search TEXT NOT NULL,
    province_code INTEGER,
    commune_code INTEGER,
    village TEXT,
    established_on TEXT,
    dissolved_on TEXT,
    has_cell_committee INTEGER NOT NULL DEFAULT 0,
    member_count INTEGER NOT NULL DEFAULT 0,
    official_count INTEGER NOT NULL DEFAULT 0,
    probationary_count INTEGER NOT NULL DEFAULT 0,
    female_count INTEGER NOT NULL DEFAULT 0,
    minority_count INTEGER NOT NULL DEFAULT 0,
    cell_count INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE members (
    id BLOB PRIMARY KEY NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    org_path TEXT NOT NULL,
    province_code INTEGER,
    family_name TEXT NOT NULL,
    middle_name TEXT NOT NULL,
    given_name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    search_key TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    gender TEXT NOT NULL,
    ethnicity_code INTEGER NOT NULL,
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
    admission_date TEXT NOT NULL,
    official_date TEXT,
    status TEXT NOT NULL,
    age_exception_approved INTEGER NOT NULL DEFAULT 0,
    phone TEXT,
    email TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE member_flags (
    id BLOB PRIMARY KEY NOT NULL,
    member_id BLOB NOT NULL REFERENCES members(id),
    other_member_id BLOB NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by BLOB
);

CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1,
    lang TEXT NOT NULL DEFAULT 'vi',
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    last_login_at TEXT
);

CREATE TABLE grants (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    org_id BLOB NOT NULL REFERENCES orgs(id),
    member_id BLOB REFERENCES members(id),
    created_at TEXT NOT NULL,
    UNIQUE (user_id, role, org_id)
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    client_addr TEXT
);

CREATE TABLE audit_log (
    id BLOB PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    user_id BLOB,
    username TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BLOB,
    org_path TEXT,
    before_json TEXT,
    after_json TEXT
);
