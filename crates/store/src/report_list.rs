//! The reads behind a page of the list behind a line of today's structure (the drill-down of
//! the statistics report): the members of the subtree on the rolls narrowed in SQL to those
//! that may count in the line, in path order, read a page at a time and no further than the
//! page needs.

use crate::StoreError;
use crate::db::{Arg, Exec};
use crate::reports::{DimValues, visit_members_where};
use chibo_domain::report::Dim;
use time::Date;
use uuid::Uuid;

/// Rows per read at most (a page of 100 reads about 100 rows).
const READ_PAGE: usize = 20_000;

/// The members' column of each dimension, in the order of [`Dim::ALL`].
const COLUMNS: [&str; 10] = [
    "status",
    "gender",
    "birth_date",
    "ethnicity_code",
    "religion",
    "general_education",
    "professional_education",
    "theory_level",
    "occupation",
    "admission_date",
];

/// Which members may count in a line: a superset, each one still asked.
#[derive(Debug, Clone)]
pub enum Narrow {
    /// Every member on the rolls.
    All,
    /// Those whose column of `dim` holds one of `values` (stored values), or is empty when
    /// `empty`.
    Values { dim: Dim, values: Vec<String>, empty: bool },
    /// Those whose date of `dim` lies between the two, inclusive (`None`: open).
    Dates { dim: Dim, from: Option<Date>, to: Option<Date> },
}

fn column(dim: Dim) -> &'static str {
    COLUMNS[Dim::ALL.iter().position(|d| *d == dim).unwrap_or_default()]
}

impl Narrow {
    /// The SQL condition with its arguments from `$5`; `None` when no member can match.
    fn condition(&self) -> Option<(String, Vec<Arg>)> {
        let mut args: Vec<Arg> = Vec::new();
        let next = |a: Arg, args: &mut Vec<Arg>| {
            args.push(a);
            format!("${}", 4 + args.len())
        };
        match self {
            Narrow::All => Some(("1 = 1".into(), args)),
            Narrow::Values { dim, values, empty } => {
                let col = column(*dim);
                let mut terms = Vec::new();
                let mut slots = Vec::new();
                for v in values.iter().filter(|v| !v.is_empty()) {
                    let arg =
                        if *dim == Dim::Ethnicity { Arg::from(v.parse::<i64>().ok()?) } else { Arg::from(v.clone()) };
                    slots.push(next(arg, &mut args));
                }
                if !slots.is_empty() {
                    terms.push(format!("{col} IN ({})", slots.join(", ")));
                }
                if *empty {
                    terms.push(format!("{col} IS NULL"));
                    if !matches!(dim, Dim::Ethnicity) {
                        terms.push(format!("{col} = ''"));
                    }
                }
                (!terms.is_empty()).then(|| (terms.join(" OR "), args))
            }
            Narrow::Dates { dim, from, to } => {
                let col = column(*dim);
                let mut terms = vec!["1 = 1".to_string()];
                if let Some(f) = from {
                    terms.push(format!("{col} >= {}", next(Arg::from(*f), &mut args)));
                }
                if let Some(t) = to {
                    terms.push(format!("{col} <= {}", next(Arg::from(*t), &mut args)));
                }
                Some((terms.join(" AND "), args))
            }
        }
    }
}

/// The members on the rolls of the subtree at `root_path` that `narrow` lets through and
/// `keep` keeps, in path order: `limit` of them after the first `offset`.
pub async fn line_page(
    e: &mut impl Exec,
    root_path: &str,
    narrow: &Narrow,
    keep: impl Fn(&DimValues) -> bool,
    offset: usize,
    limit: usize,
) -> Result<Vec<Uuid>, StoreError> {
    let Some((condition, args)) = narrow.condition() else {
        return Ok(Vec::new());
    };
    if limit == 0 {
        return Ok(Vec::new());
    }
    let page = offset.saturating_add(limit).clamp(1, READ_PAGE);
    let (mut skip, mut out) = (offset, Vec::new());
    visit_members_where(e, root_path, page, &condition, &args, |id, _, values| {
        if !keep(&values) {
            return true;
        }
        if skip > 0 {
            skip -= 1;
            return true;
        }
        out.push(id);
        out.len() < limit
    })
    .await?;
    Ok(out)
}
