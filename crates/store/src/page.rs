//! One page of a subtree's members in Vietnamese name order, searched or not, read by the
//! cheapest of three plans. Each plan's SQL is written so that both engines' planners must
//! use the intended index, whatever their statistics say.

use crate::StoreError;
use crate::db::{Arg, Exec, dynamic_sql};
use chibo_domain::member::MemberStatus;
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
    pub gender: String,
    pub status: String,
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
    /// Read the word index of the rarest search term (already in name order) and keep rows
    /// inside the subtree that match every term.
    Words,
}

/// The search term with the fewest candidates: its indexed words and their total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub words: Vec<String>,
    pub candidates: i64,
}

/// A term that expands to more indexed words than this is no anchor (typing "n").
const MAX_EXPANSIONS: i64 = 8;

/// Find the best anchor among the terms (None when no term is selective enough to use).
pub async fn anchor(e: &mut impl Exec, terms: &[String]) -> Result<Option<Anchor>, StoreError> {
    let mut best: Option<Anchor> = None;
    for t in terms {
        let exp = crate::words::expansions(e, t, MAX_EXPANSIONS).await?;
        if exp.len() as i64 > MAX_EXPANSIONS {
            continue;
        }
        let candidates = exp.iter().map(|(_, n)| n).sum();
        if best.as_ref().is_none_or(|b| candidates < b.candidates) {
            best = Some(Anchor { words: exp.into_iter().map(|(w, _)| w).collect(), candidates });
        }
    }
    Ok(best)
}

impl PageQuery<'_> {
    /// The cheapest plan, in rows touched. Range: the subtree's rows. Walk: index entries
    /// until `limit` hits, `limit × all / (subtree × share of matching names)`. Words: the
    /// anchor's candidates until `limit` fall inside the subtree.
    pub fn plan(&self, anchor: Option<&Anchor>) -> Plan {
        let (sub, all, limit) =
            (self.subtree_members.max(1) as f64, self.all_members.max(1) as f64, self.limit.max(1) as f64);
        let share = match anchor {
            _ if self.terms.is_empty() && self.status.is_none() => 1.0,
            Some(a) => (a.candidates.max(1) as f64 / all).min(1.0),
            None => 0.02,
        };
        let range = sub * 4.0;
        let walk = (limit * all / (sub * share)).min(all);
        let words = anchor.map_or(f64::INFINITY, |a| (a.candidates as f64).min(limit * all / sub) * 3.0);
        if range <= walk && range <= words {
            Plan::Range
        } else if words < walk {
            Plan::Words
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
        for t in q.terms {
            self.push(" AND (' ' || m.search_key) LIKE ").arg(collation::like_pattern(t));
        }
        if let Some(s) = q.status {
            self.push(" AND m.status = ").arg(s.code());
        }
        if let Some(c) = &q.after {
            // A row value: both engines seek the (sort key, id) index to it.
            self.push(&format!(" AND ({key}, {id}) > (")).arg(c.sort_key.clone()).push(", ").arg(c.id).push(")");
        }
        self
    }
    async fn fetch(self, e: &mut impl Exec) -> Result<Vec<MemberSummary>, StoreError> {
        let mut q = dynamic_sql(self.text);
        for a in self.args {
            q.push_arg(a);
        }
        q.fetch_all(e).await
    }
}

/// One page of members and the cursor of the next page, if there is one.
pub async fn page(e: &mut impl Exec, q: &PageQuery<'_>) -> Result<(Vec<MemberSummary>, Option<Cursor>), StoreError> {
    let anchor = if q.terms.is_empty() { None } else { anchor(e, q.terms).await? };
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
        (Plan::Words, Some(a)) => {
            // Each word's entries come in name order; merge them.
            let mut all = Vec::new();
            for w in &a.words {
                let mut b = Builder::default();
                b.push(&format!(
                    "SELECT {COLUMNS} FROM member_words w JOIN members m ON m.id = w.member_id WHERE w.word = "
                ))
                .arg(w.as_str())
                .push(" AND m.org_path >= ")
                .arg(q.root_path)
                .push(" AND m.org_path < ")
                .arg(end.as_str())
                .filters(q, "w.sort_key", "w.member_id")
                .push(&format!(" ORDER BY w.sort_key, w.member_id LIMIT {}", limit + 1));
                all.extend(b.fetch(e).await?);
            }
            all.sort_by(|x, y| (&x.sort_key, x.id).cmp(&(&y.sort_key, y.id)));
            all.dedup_by_key(|r| r.id);
            all
        }
        (Plan::Words, None) => Vec::new(),
        (Plan::Range, _) => {
            let mut b = Builder::default();
            b.push(&format!("SELECT {COLUMNS} FROM members m WHERE m.org_path >= "))
                .arg(q.root_path)
                .push(" AND m.org_path < ")
                .arg(end.as_str())
                .filters(q, "m.sort_key", "m.id")
                // An expression: no planner can walk the name index instead of the path range.
                .push(&format!(" ORDER BY m.sort_key || '', m.id LIMIT {}", limit + 1));
            b.fetch(e).await?
        }
        (Plan::Walk, _) => {
            let mut b = Builder::default();
            // A function of the column: no planner can use the path index here.
            b.push(&format!("SELECT {COLUMNS} FROM members m WHERE substr(m.org_path, 1, {}) = ", q.root_path.len()))
                .arg(q.root_path)
                .filters(q, "m.sort_key", "m.id")
                .push(&format!(" ORDER BY m.sort_key, m.id LIMIT {}", limit + 1));
            b.fetch(e).await?
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
