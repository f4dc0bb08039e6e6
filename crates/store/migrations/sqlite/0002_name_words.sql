-- The word index of member names (see src/page.rs, Plan::Words): for each word of a name, the
-- member's place in the tree, sort key and search key, so a search inside a subtree reads
-- only index entries. Keep in step with ../postgres/0002_name_words.sql.
CREATE TABLE member_words (
    word TEXT NOT NULL,
    org_path TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    member_id BLOB NOT NULL,
    search_key TEXT NOT NULL,
    PRIMARY KEY (word, org_path, sort_key, member_id, search_key)
) WITHOUT ROWID;

CREATE TABLE name_words (
    word TEXT PRIMARY KEY NOT NULL,
    members INTEGER NOT NULL
);
