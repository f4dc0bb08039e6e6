-- The word index of member names (see src/page.rs, Plan::Words): for each word of a name, the
-- member's place in the tree, sort key and search key, so a search inside a subtree reads
-- only index entries. Keep in step with ../sqlite/0002_name_words.sql.
CREATE TABLE member_words (
    word TEXT COLLATE "C" NOT NULL,
    org_path TEXT COLLATE "C" NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    member_id UUID NOT NULL,
    search_key TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (word, org_path, sort_key, member_id, search_key)
);

CREATE TABLE name_words (
    word TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    members BIGINT NOT NULL
);
