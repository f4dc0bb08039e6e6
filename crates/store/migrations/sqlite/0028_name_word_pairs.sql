-- The pairs of words of each member's name (store::words, page::Plan::PairWalk): for every two
-- different words of a name, the first in text order first, the member's sort key, id, place
-- in the tree and search key. A search of two common words that cluster (the Nguyễn Thị of a
-- nation, the Lò Văn of the northern mountains) walks the pair's members in name order and
-- stops at the page, where the word index walked one word's members past thousands of others
-- (the Thị An of every other family before the first Nguyễn Thị An). Filled at the first start
-- from the word index (store::words::backfill_pairs). Keep in step with ../postgres/0028_name_word_pairs.sql.
CREATE TABLE member_word_pairs (
    first TEXT NOT NULL,
    second TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    member_id BLOB NOT NULL,
    org_path TEXT NOT NULL,
    search_key TEXT NOT NULL,
    PRIMARY KEY (first, second, sort_key, member_id, org_path, search_key)
) WITHOUT ROWID;
