-- The word index of member names (see src/members.rs, Plan::Words). Keep in step with
-- ../postgres/0002_name_words.sql.
CREATE TABLE member_words (
    word TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    member_id BLOB NOT NULL,
    PRIMARY KEY (word, sort_key, member_id)
) WITHOUT ROWID;

CREATE TABLE name_words (
    word TEXT PRIMARY KEY NOT NULL,
    members INTEGER NOT NULL
);
