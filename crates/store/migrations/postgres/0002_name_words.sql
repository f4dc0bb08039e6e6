-- The word index of member names (see src/members.rs, Plan::Words). Keep in step with
-- ../sqlite/0002_name_words.sql.
CREATE TABLE member_words (
    word TEXT COLLATE "C" NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    member_id UUID NOT NULL,
    PRIMARY KEY (word, sort_key, member_id)
);

CREATE TABLE name_words (
    word TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    members BIGINT NOT NULL
);
