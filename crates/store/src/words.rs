//! The word index of member names: one row per (word, place in the tree, sort key, member,
//! search key) and a count per word. A search inside a subtree reads only the entries of its
//! rarest term's words in that subtree ([`crate::page::Plan::Words`]). Beside it the pairs of
//! words of each name (`member_word_pairs`: every two different words, in text order, with the
//! same sort key, member, place and search key), for two common terms that cluster
//! ([`crate::page::Plan::PairWalk`]); kept in step by the same writes.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, sql, values_rows};
use crate::insert_rows::InsertRows;
use chibo_domain::{collation, path};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Words per multi-row statement of their counts.
const CHUNK: usize = 1_000;

/// One member as the index holds it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub id: Uuid,
    pub org_path: &'a str,
    pub sort_key: &'a str,
    pub search_key: &'a str,
}

/// Add members to the index and the word counts.
pub async fn add(e: &mut impl Exec, members: &[Entry<'_>]) -> Result<(), StoreError> {
    let mut rows: Vec<(&str, &Entry<'_>)> =
        members.iter().flat_map(|m| collation::words(m.search_key).into_iter().map(move |w| (w, m))).collect();
    // In key order: thousands of rows (an import) then go into the index's pages one after
    // another instead of all over it.
    rows.sort_unstable_by(|(w, a), (v, b)| (*w, a.org_path, a.sort_key, a.id).cmp(&(*v, b.org_path, b.sort_key, b.id)));
    let mut q =
        InsertRows::new("member_words", "word, org_path, sort_key, member_id, search_key").with_rows(rows.len());
    for (w, m) in &rows {
        q.push(*w);
        q.push(m.org_path);
        q.push(m.sort_key);
        q.push(m.id);
        q.push(m.search_key);
    }
    q.run(e).await?;
    add_pairs(e, members).await?;
    let engine = e.engine();
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for (w, _) in &rows {
        *counts.entry(w).or_default() += 1;
    }
    let counts: Vec<(&str, i64)> = counts.into_iter().collect();
    for chunk in counts.chunks(CHUNK) {
        let mut q = dynamic_sql(format!(
            "INSERT INTO name_words (word, members) VALUES {} \
             ON CONFLICT (word) DO UPDATE SET members = name_words.members + excluded.members",
            values_rows(engine, chunk.len(), 2)
        ));
        for (w, n) in chunk {
            q.push_arg(*w);
            q.push_arg(*n);
        }
        q.execute_chunk(e, chunk.len(), CHUNK).await?;
    }
    Ok(())
}

/// Every two different words of a name, each pair in text order (the words are).
fn pairs_of(search_key: &str) -> Vec<(&str, &str)> {
    let words = collation::words(search_key);
    words.iter().enumerate().flat_map(|(i, a)| words[i + 1..].iter().map(move |b| (*a, *b))).collect()
}

/// The pairs' table.
const PAIRS: &str = "member_word_pairs";
/// `chibo check`'s temporary table of the pairs recounted from the members.
const PAIRS_RECOUNT: &str = "member_word_pairs_recount";
const PAIR_COLUMNS: &str = "first, second, sort_key, member_id, org_path, search_key";

/// Add members' pairs of words, in key order.
async fn add_pairs(e: &mut impl Exec, members: &[Entry<'_>]) -> Result<(), StoreError> {
    add_pairs_into(e, PAIRS, members).await
}

/// Add members' pairs of words to `table` (the pairs or their recount), in key order.
async fn add_pairs_into(e: &mut impl Exec, table: &'static str, members: &[Entry<'_>]) -> Result<(), StoreError> {
    let mut rows: Vec<((&str, &str), &Entry<'_>)> =
        members.iter().flat_map(|m| pairs_of(m.search_key).into_iter().map(move |p| (p, m))).collect();
    rows.sort_unstable_by(|(p, a), (q, b)| (p, a.sort_key, a.id).cmp(&(q, b.sort_key, b.id)));
    let mut q = InsertRows::new(table, PAIR_COLUMNS).with_rows(rows.len());
    for ((first, second), m) in &rows {
        q.push(*first);
        q.push(*second);
        q.push(m.sort_key);
        q.push(m.id);
        q.push(m.org_path);
        q.push(m.search_key);
    }
    q.run(e).await
}

/// The key of one pair of a member in a statement's `WHERE`: `$1` to `$4`.
const PAIR_KEY: &str = "first = $1 AND second = $2 AND sort_key = $3 AND member_id = $4";

/// Remove one member's entries (as indexed before a change).
pub async fn remove(e: &mut impl Exec, m: Entry<'_>) -> Result<(), StoreError> {
    for (first, second) in pairs_of(m.search_key) {
        dynamic_sql(format!("DELETE FROM {PAIRS} WHERE {PAIR_KEY}"))
            .bind(first)
            .bind(second)
            .bind(m.sort_key)
            .bind(m.id)
            .execute(e)
            .await?;
    }
    for w in collation::words(m.search_key) {
        sql("DELETE FROM member_words WHERE word = $1 AND org_path = $2 AND sort_key = $3 AND member_id = $4")
            .bind(w)
            .bind(m.org_path)
            .bind(m.sort_key)
            .bind(m.id)
            .execute(e)
            .await?;
        sql("UPDATE name_words SET members = members - 1 WHERE word = $1").bind(w).execute(e).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct WordCount {
    word: String,
    members: i64,
}

/// The indexed words starting with `prefix` and how many members have each; at most
/// `max + 1` (so the caller sees when there are more than `max`).
pub async fn expansions(e: &mut impl Exec, prefix: &str, max: i64) -> Result<Vec<(String, i64)>, StoreError> {
    let rows: Vec<WordCount> = dynamic_sql(format!(
        "SELECT word, members FROM name_words WHERE word >= $1 AND word < $2 AND members > 0 ORDER BY word LIMIT {}",
        max + 1
    ))
    .bind(prefix)
    .bind(path::subtree_end(prefix))
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| (r.word, r.members)).collect())
}

/// Words whose count differs from the index rows: (word, stored, counted).
pub async fn recount(e: &mut impl Exec) -> Result<Vec<(String, i64, i64)>, StoreError> {
    let counted: Vec<WordCount> =
        sql("SELECT word, COUNT(*) AS members FROM member_words GROUP BY word").fetch_all(e).await?;
    let stored: Vec<WordCount> = sql("SELECT word, members FROM name_words WHERE members <> 0").fetch_all(e).await?;
    let stored: BTreeMap<String, i64> = stored.into_iter().map(|w| (w.word, w.members)).collect();
    let mut wrong: Vec<(String, i64, i64)> = counted
        .iter()
        .filter(|c| stored.get(&c.word) != Some(&c.members))
        .map(|c| (c.word.clone(), stored.get(&c.word).copied().unwrap_or(0), c.members))
        .collect();
    let counted_words: std::collections::HashSet<&str> = counted.iter().map(|c| c.word.as_str()).collect();
    wrong.extend(stored.iter().filter(|(w, _)| !counted_words.contains(w.as_str())).map(|(w, n)| (w.clone(), *n, 0)));
    Ok(wrong)
}

#[derive(sqlx::FromRow)]
struct Keys {
    id: Uuid,
    org_path: String,
    sort_key: String,
    search_key: String,
}

/// Follow a subtree that moved from `old` to `new` (paths), one index range per word; the
/// pairs, keyed by name, member by member (called before the members' paths change).
pub async fn move_subtree(e: &mut impl Exec, old: &str, new: &str) -> Result<(), StoreError> {
    let moved: Vec<Keys> =
        sql("SELECT id, org_path, sort_key, search_key FROM members WHERE org_path >= $1 AND org_path < $2")
            .bind(old)
            .bind(path::subtree_end(old))
            .fetch_all(e)
            .await?;
    for m in &moved {
        let to = format!("{new}{}", m.org_path.get(old.len()..).unwrap_or_default());
        for (first, second) in pairs_of(&m.search_key) {
            dynamic_sql(format!("UPDATE {PAIRS} SET org_path = $5 WHERE {PAIR_KEY}"))
                .bind(first)
                .bind(second)
                .bind(m.sort_key.as_str())
                .bind(m.id)
                .bind(to.as_str())
                .execute(e)
                .await?;
        }
    }
    let words: Vec<WordCount> = sql("SELECT word, members FROM name_words WHERE members > 0").fetch_all(e).await?;
    let keep_from = old.len() + 1;
    for w in words {
        dynamic_sql(format!(
            "UPDATE member_words SET org_path = $1 || substr(org_path, {keep_from}) \
             WHERE word = $2 AND org_path >= $3 AND org_path < $4"
        ))
        .bind(new)
        .bind(w.word.as_str())
        .bind(old)
        .bind(path::subtree_end(old))
        .execute(e)
        .await?;
    }
    Ok(())
}

/// Fill the index from the member rows when it is empty but members exist (a database
/// that predates it). Returns the number of members indexed.
///
/// One write transaction that checks the index is empty in its turn, then fills it: of two
/// processes started at once on one database, the first to take the turn fills the index and
/// the other, waiting for the turn ([`crate::db::UPGRADE_WAIT`]), finds it full. (Checked
/// outside, both would fill it; filled a batch per transaction, the other would start serving
/// while members were still missing from the index, and its writes would meet the filling.)
pub async fn backfill(pools: &crate::Pools) -> Result<u64, StoreError> {
    let mut tx = pools.begin_waiting(crate::db::UPGRADE_WAIT).await?;
    let members = sql("SELECT COUNT(*) FROM members").fetch_i64(&mut tx).await?;
    let words = sql("SELECT COUNT(*) FROM name_words").fetch_i64(&mut tx).await?;
    if members == 0 || words > 0 {
        return Ok(0);
    }
    tracing::info!(members, "filling the word index of member names");
    let (done, _) = fill(&mut tx, Fill::Words).await?;
    tx.commit().await?;
    Ok(done)
}

/// What [`fill`] adds for each member.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// The words and their pairs.
    Words,
    /// The pairs alone, into this table.
    Pairs(&'static str),
}

/// Add every member's entries, 20,000 members at a time by id. (members, pairs) added.
async fn fill(e: &mut impl Exec, what: Fill) -> Result<(u64, usize), StoreError> {
    let (mut after, mut members, mut pairs) = (Uuid::nil(), 0u64, 0usize);
    loop {
        let batch: Vec<Keys> =
            sql("SELECT id, org_path, sort_key, search_key FROM members WHERE id > $1 ORDER BY id LIMIT 20000")
                .bind(after)
                .fetch_all(e)
                .await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let keys: Vec<Entry<'_>> = batch
            .iter()
            .map(|k| Entry { id: k.id, org_path: &k.org_path, sort_key: &k.sort_key, search_key: &k.search_key })
            .collect();
        match what {
            Fill::Words => add(e, &keys).await?,
            Fill::Pairs(table) => add_pairs_into(e, table, &keys).await?,
        }
        members += keys.len() as u64;
        pairs += keys.iter().map(|k| pairs_of(k.search_key).len()).sum::<usize>();
    }
    Ok((members, pairs))
}

/// Fill the pairs of words from the members when they are empty but members exist (a
/// database that predates them: migration 0028), in one write transaction as the kept tables
/// are filled ([`crate::db::backfill_empty`]).
pub async fn backfill_pairs(pools: &crate::Pools) -> Result<(), StoreError> {
    crate::db::backfill_empty(pools, PAIRS, "the pairs of name words", async |tx| rebuild_pairs(tx).await).await
}

/// Write every member's pairs of words again (a backfill, a repair); the rows written.
pub async fn rebuild_pairs(e: &mut impl Exec) -> Result<usize, StoreError> {
    dynamic_sql(format!("DELETE FROM {PAIRS}")).execute(e).await?;
    Ok(fill(e, Fill::Pairs(PAIRS)).await?.1)
}

/// The pairs of words unlike a recount from the members' names: rows of either missing from
/// the other (for `chibo check`). The recount is written into a temporary table and the two
/// compared in SQL, each way an `EXCEPT` (sorted or hashed: a join of the word index with
/// itself by member had no index to use, and SQLite probed it once per word row).
pub async fn pairs_differ(e: &mut impl Exec) -> Result<i64, StoreError> {
    crate::scratch::create_copy(e, PAIRS_RECOUNT, PAIRS, PAIR_COLUMNS).await?;
    fill(e, Fill::Pairs(PAIRS_RECOUNT)).await?;
    let mut differ = 0;
    for (one, other) in [(PAIRS, PAIRS_RECOUNT), (PAIRS_RECOUNT, PAIRS)] {
        differ += dynamic_sql(format!(
            "SELECT COUNT(*) FROM (SELECT {PAIR_COLUMNS} FROM {one} EXCEPT SELECT {PAIR_COLUMNS} FROM {other}) x"
        ))
        .fetch_i64(e)
        .await?;
    }
    crate::scratch::drop_emptied(e, PAIRS_RECOUNT).await?;
    Ok(differ)
}

/// Rewrite the word counts from the index rows (repair).
pub async fn rebuild_counts(e: &mut impl Exec) -> Result<(), StoreError> {
    sql("DELETE FROM name_words").execute(e).await?;
    sql("INSERT INTO name_words (word, members) SELECT word, COUNT(*) FROM member_words GROUP BY word")
        .execute(e)
        .await?;
    Ok(())
}
