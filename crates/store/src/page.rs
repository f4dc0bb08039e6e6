//! One page of a subtree's members in Vietnamese name order, searched or not, read by the
//! cheapest of three plans. Each plan's SQL is written so that both engines' planners must
//! use the intended index, whatever their statistics say.

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql};
use chibo_domain::member::{Gender, MemberStatus};
use chibo_domain::{collation, path};
use serde::Serialize;
use time::Date;
use uuid::Uuid;

/// One line of a member list.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct MemberSummary {
    pub id: Uuid,
    pub org_id: Uuid,
    pub org_path: String,
    pub full_name: String,
    pub birth_date: Date,
    #[sqlx(try_from = "String")]
    pub gender: Gender,
    #[sqlx(try_from = "String")]
    pub status: MemberStatus,
    pub admission_date: Date,
    pub sort_key: String,
}

/// Where a page starts: after this (sort key, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort_key: String,
    pub id: Uuid,
}

/// A request for one page of a subtree's members.
#[derive(Debug, Clone)]
pub struct PageQuery<'a> {
    pub root_path: &'a str,
    /// Members in the subtree (from its counters).
    pub subtree_members: i64,
    /// Members in the whole database.
    pub all_members: i64,
    /// Folded search terms; each must start a word of the name.
    pub terms: &'a [String],
    pub status: Option<MemberStatus>,
    pub after: Option<Cursor>,
    pub limit: i64,
}

/// How a page is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Read the subtree's rows by path range and sort them: small subtrees.
    Range,
    /// Walk the global name index and keep rows inside the subtree: large subtrees, no
    /// rare search term.
    Walk,
    /// Read the rarest search term's words inside the subtree (the word index by path), sort
    /// them by name and keep the rows that match every term: a mid-sized subtree.
    Words,
    /// Walk the rarest search term's words in name order (the word index by name), keeping
    /// the entries inside the subtree that match every term, until the page is full: a large
    /// subtree, where matches are many and sorting all of them costs more than walking to the
    /// first page's worth.
    WordWalk,
    /// Walk the pairs of words of the two rarest terms in name order (`member_word_pairs`),
    /// keeping the entries inside the subtree (and matching any other term), until the page is
    /// full: every entry read matches both terms, so two common words that cluster (the
    /// Nguyễn Thị An behind every other family's Thị An) cost no more than two rare ones.
    PairWalk,
}

/// What the word counts say about a search: the anchor (the term with the fewest
/// candidates) and the estimated share of all members matching every term.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    /// The indexed words the anchor term expands to.
    pub words: Vec<String>,
    /// Members having one of those words.
    pub candidates: i64,
    /// Estimated share of all members matching every term (terms taken as independent).
    pub match_share: f64,
    /// The pairs of words of the anchor and the next rarest term, each in text order, when
    /// their words differ (a word that could match both terms alone has no pair) and they
    /// are few ([`MAX_PAIRS`]); empty otherwise.
    pub pairs: Vec<(String, String)>,
    /// Estimated share of all members matching the two terms of the pairs.
    pub pair_share: f64,
    /// The terms the pairs do not cover, still filtered.
    pub rest: Vec<String>,
}

/// A term that expands to more indexed words than this is no anchor (typing "n").
const MAX_EXPANSIONS: i64 = 8;
/// Share assumed for a term too short to count.
const UNKNOWN_SHARE: f64 = 0.05;

/// Pairs of words walked at most for one search (two terms of a few words each).
const MAX_PAIRS: usize = 16;

/// Find the best anchor among the terms (None when no term can anchor), and the pairs of
/// words of the two rarest.
pub async fn anchor(e: &mut impl Exec, terms: &[String], all_members: i64) -> Result<Option<Anchor>, StoreError> {
    let all = all_members.max(1) as f64;
    // (term, its words, members having one of them), the rarest first.
    let mut counted: Vec<(&String, Vec<String>, i64)> = Vec::new();
    let mut match_share = 1.0;
    for t in terms {
        let exp = crate::words::expansions(e, t, MAX_EXPANSIONS).await?;
        if exp.len() as i64 > MAX_EXPANSIONS {
            match_share *= UNKNOWN_SHARE;
            continue;
        }
        let candidates: i64 = exp.iter().map(|(_, n)| n).sum();
        match_share *= (candidates as f64 / all).min(1.0);
        counted.push((t, exp.into_iter().map(|(w, _)| w).collect(), candidates));
    }
    counted.sort_by_key(|(_, _, n)| *n);
    let Some((first, words, candidates)) = counted.first() else { return Ok(None) };
    let (mut pairs, mut pair_share, mut rest) = (Vec::new(), 0.0, Vec::new());
    if let Some((second, others, n)) = counted.get(1)
        && others.iter().all(|w| !words.contains(w))
        && words.len() * others.len() <= MAX_PAIRS
    {
        for a in words {
            for b in others {
                let (x, y) = if a < b { (a, b) } else { (b, a) };
                pairs.push((x.clone(), y.clone()));
            }
        }
        pair_share = (*candidates as f64 / all).min(1.0) * (*n as f64 / all).min(1.0);
        rest = terms.iter().filter(|t| *t != *first && *t != *second).cloned().collect();
    }
    Ok(Some(Anchor { words: words.clone(), candidates: *candidates, match_share, pairs, pair_share, rest }))
}

/// Estimated cost of one unit of work, in microseconds (measured on SQLite at nation scale,
/// docs/BENCHMARKS.md): an entry of the global name index walked, an entry of the word index
/// read, a row read by path range and sorted (with and without a search, which needs the
/// row), and fetching one result row.
const WALK_ENTRY: f64 = 0.3;
const WORD_ENTRY: f64 = 0.4;
const RANGE_ROW_SEARCHED: f64 = 1.7;
const RANGE_ROW: f64 = 0.5;
const FETCH_ROW: f64 = 25.0;

impl PageQuery<'_> {
    /// The cheapest plan. Range reads the subtree. Walk reads global name-index entries until
    /// `limit` fall in the subtree and match. Words reads the anchor's entries in the subtree
    /// only, then fetches the page's rows. WordWalk reads the anchor's entries in name order
    /// until `limit` fall in the subtree and match; it reads a subset of what Walk reads, in
    /// the same order (every match has an entry of an anchor word), so with an anchor it is
    /// never worse than Walk, however the terms correlate.
    pub fn plan(&self, anchor: Option<&Anchor>) -> Plan {
        let (sub, all, limit) =
            (self.subtree_members.max(1) as f64, self.all_members.max(1) as f64, self.limit.max(1) as f64);
        let sub_share = (sub / all).min(1.0);
        let searched = !self.terms.is_empty() || self.status.is_some();
        let match_share = match anchor {
            _ if !searched => 1.0,
            Some(a) => a.match_share.max(1.0 / all) * if self.status.is_some() { 0.5 } else { 1.0 },
            None => 0.02,
        };
        let range = sub * if searched { RANGE_ROW_SEARCHED } else { RANGE_ROW };
        let walk = (limit / (sub_share * match_share)).min(all) * WALK_ENTRY;
        let (words, word_walk) = match anchor {
            Some(a) if self.status.is_none() => {
                let candidates = a.candidates as f64;
                // The share of the anchor's entries that match the other terms.
                let within = (a.match_share * all / candidates.max(1.0)).clamp(1.0 / all, 1.0);
                let walked = (a.words.len() as f64 * limit / (sub_share * within)).min(candidates);
                (candidates * sub_share * WORD_ENTRY + limit * FETCH_ROW, walked * WORD_ENTRY + limit * FETCH_ROW)
            }
            _ => (f64::INFINITY, f64::INFINITY),
        };
        // The pairs: every entry matches the two terms; the share of them matching the rest.
        let pair_walk = match anchor {
            Some(a) if self.status.is_none() && !a.pairs.is_empty() => {
                let within = (a.match_share / a.pair_share.max(1.0 / all)).clamp(1.0 / all, 1.0);
                let walked = (a.pairs.len() as f64 * limit / (sub_share * within)).min(a.pair_share * all);
                walked * WORD_ENTRY + limit * FETCH_ROW
            }
            _ => f64::INFINITY,
        };
        let walk = if word_walk.is_finite() { f64::INFINITY } else { walk };
        let best = range.min(walk).min(words).min(word_walk).min(pair_walk);
        if range <= best {
            Plan::Range
        } else if words <= best {
            Plan::Words
        } else if pair_walk <= best {
            Plan::PairWalk
        } else if word_walk <= best {
            Plan::WordWalk
        } else {
            Plan::Walk
        }
    }
}

const COLUMNS: &str =
    "m.id, m.org_id, m.org_path, m.full_name, m.birth_date, m.gender, m.status, m.admission_date, m.sort_key";

/// SQL text with numbered placeholders and their arguments, built together.
#[derive(Default)]
struct Builder {
    text: String,
    args: Vec<Arg>,
}

impl Builder {
    fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }
    fn arg(&mut self, a: impl Into<Arg>) -> &mut Self {
        self.args.push(a.into());
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }
    /// The conditions every plan shares: search terms, status, cursor on `key`.
    fn filters(&mut self, q: &PageQuery<'_>, key: &str, id: &str) -> &mut Self {
        self.likes("m.search_key", q.terms);
        if let Some(s) = q.status {
            self.push(" AND m.status = ").arg(s.code());
        }
        self.after(q, key, id)
    }
    /// Each term starts a word of `search_key`.
    fn likes(&mut self, search_key: &str, terms: &[String]) -> &mut Self {
        for t in terms {
            self.push(&format!(" AND (' ' || {search_key}) LIKE ")).arg(collation::like_pattern(t));
        }
        self
    }
    /// After the cursor on (`key`, `id`): a row value, which both engines seek the index to.
    fn after(&mut self, q: &PageQuery<'_>, key: &str, id: &str) -> &mut Self {
        if let Some(c) = &q.after {
            self.push(&format!(" AND ({key}, {id}) > (")).arg(c.sort_key.clone()).push(", ").arg(c.id).push(")");
        }
        self
    }
    async fn fetch_keys(self, e: &mut impl Exec) -> Result<Vec<Key>, StoreError> {
        let mut q = dynamic_sql(self.text);
        for a in self.args {
            q.push_arg(a);
        }
        q.fetch_all(e).await
    }
    async fn fetch(self, e: &mut impl Exec) -> Result<Vec<MemberSummary>, StoreError> {
        let mut q = dynamic_sql(self.text);
        for a in self.args {
            q.push_arg(a);
        }
        q.fetch_all(e).await
    }
}

#[derive(sqlx::FromRow)]
struct Key {
    id: Uuid,
    sort_key: String,
}

/// The summaries of these members, in the order given.
async fn fetch_by_ids(e: &mut impl Exec, keys: &[Key]) -> Result<Vec<MemberSummary>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = Builder::default();
    b.push(&format!("SELECT {COLUMNS} FROM members m WHERE m.id IN ("));
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            b.push(", ");
        }
        b.arg(k.id);
    }
    b.push(")");
    let rows = b.fetch(e).await?;
    let mut by_id: std::collections::HashMap<Uuid, MemberSummary> = rows.into_iter().map(|r| (r.id, r)).collect();
    Ok(keys.iter().filter_map(|k| by_id.remove(&k.id)).collect())
}

/// Each anchor word's entries inside the subtree that match every term, the first `limit + 1`
/// by name order. Words reads the subtree's range of the path index and sorts it (an
/// expression in the ORDER BY: no planner can walk the name index instead); WordWalk walks the
/// name index (a function of the path: no planner can read the path range instead) and stops
/// at the page.
fn word_walks(q: &PageQuery<'_>, a: &Anchor, plan: Plan, limit: i64) -> Vec<Builder> {
    let end = path::subtree_end(q.root_path);
    let order = if plan == Plan::Words { "w.sort_key || ''" } else { "w.sort_key" };
    let walk = |w: &String| {
        let mut b = Builder::default();
        b.push("SELECT w.member_id AS id, w.sort_key FROM member_words w WHERE w.word = ").arg(w.as_str());
        if plan == Plan::Words {
            b.push(" AND w.org_path >= ").arg(q.root_path).push(" AND w.org_path < ").arg(end.as_str());
        } else {
            b.push(&format!(" AND substr(w.org_path, 1, {}) = ", q.root_path.len())).arg(q.root_path);
        }
        b.likes("w.search_key", q.terms).after(q, "w.sort_key", "w.member_id");
        b.push(&format!(" ORDER BY {order}, w.member_id LIMIT {}", limit + 1));
        b
    };
    a.words.iter().map(walk).collect()
}

/// Each pair's entries inside the subtree (a function of the path, as WordWalk) that match the
/// terms the pair does not cover, the first `limit + 1` by name order.
fn pair_walks(q: &PageQuery<'_>, a: &Anchor, limit: i64) -> Vec<Builder> {
    let walk = |(first, second): &(String, String)| {
        let mut b = Builder::default();
        b.push("SELECT w.member_id AS id, w.sort_key FROM member_word_pairs w WHERE w.first = ")
            .arg(first.as_str())
            .push(" AND w.second = ")
            .arg(second.as_str())
            .push(&format!(" AND substr(w.org_path, 1, {}) = ", q.root_path.len()))
            .arg(q.root_path)
            .likes("w.search_key", &a.rest)
            .after(q, "w.sort_key", "w.member_id");
        b.push(&format!(" ORDER BY w.sort_key, w.member_id LIMIT {}", limit + 1));
        b
    };
    a.pairs.iter().map(walk).collect()
}

/// One page of members and the cursor of the next page, if there is one.
pub async fn page(e: &mut impl Exec, q: &PageQuery<'_>) -> Result<(Vec<MemberSummary>, Option<Cursor>), StoreError> {
    let anchor = if q.terms.is_empty() { None } else { anchor(e, q.terms, q.all_members).await? };
    let plan = q.plan(anchor.as_ref());
    page_with(e, q, plan, anchor.as_ref()).await
}

/// One page by a given plan (tests compare the plans; `Words` needs the anchor).
pub async fn page_with(
    e: &mut impl Exec,
    q: &PageQuery<'_>,
    plan: Plan,
    anchor: Option<&Anchor>,
) -> Result<(Vec<MemberSummary>, Option<Cursor>), StoreError> {
    let limit = q.limit.clamp(1, 500);
    let end = path::subtree_end(q.root_path);
    let mut rows = match (plan, anchor) {
        (plan @ (Plan::Words | Plan::WordWalk | Plan::PairWalk), Some(a)) => {
            let walks = if plan == Plan::PairWalk { pair_walks(q, a, limit) } else { word_walks(q, a, plan, limit) };
            let mut keys: Vec<Key> = Vec::new();
            for b in walks {
                keys.extend(b.fetch_keys(e).await?);
            }
            // The first by name order of all words' or pairs' first.
            keys.sort_by(|x, y| (&x.sort_key, x.id).cmp(&(&y.sort_key, y.id)));
            keys.dedup_by_key(|k| k.id);
            keys.truncate(limit as usize + 1);
            fetch_by_ids(e, &keys).await?
        }
        (Plan::Words | Plan::WordWalk | Plan::PairWalk, None) => Vec::new(),
        // Range and Walk read only (id, sort key) from a covering index, filters included, so
        // both engines scan the index alone; then fetch the page's rows.
        (Plan::Range, _) => {
            let mut b = Builder::default();
            b.push("SELECT m.id, m.sort_key FROM members m WHERE m.org_path >= ")
                .arg(q.root_path)
                .push(" AND m.org_path < ")
                .arg(end.as_str())
                .filters(q, "m.sort_key", "m.id")
                // An expression: no planner can walk the name index instead of the path range.
                .push(&format!(" ORDER BY m.sort_key || '', m.id LIMIT {}", limit + 1));
            let keys = b.fetch_keys(e).await?;
            fetch_by_ids(e, &keys).await?
        }
        (Plan::Walk, _) => {
            let mut b = Builder::default();
            // A function of the column: no planner can use the path index here.
            b.push(&format!(
                "SELECT m.id, m.sort_key FROM members m WHERE substr(m.org_path, 1, {}) = ",
                q.root_path.len()
            ))
            .arg(q.root_path)
            .filters(q, "m.sort_key", "m.id")
            .push(&format!(" ORDER BY m.sort_key, m.id LIMIT {}", limit + 1));
            let keys = b.fetch_keys(e).await?;
            fetch_by_ids(e, &keys).await?
        }
    };
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| Cursor { sort_key: r.sort_key.clone(), id: r.id })
    } else {
        None
    };
    Ok((rows, next))
}
