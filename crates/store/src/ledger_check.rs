//! The dated ledger (`org_tally`) against a recomputation, for `chibo check`: the recomputed
//! rows are added to a temporary copy of the table as the members are replayed
//! ([`Recount::add`]), then compared with the kept rows in SQL ([`Recount::differences`]), so
//! that the nation's 26 million rows are never held in memory.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, sql};
use crate::scratch::Scratch;
use chibo_domain::life::{Ledger, Tally};
use std::collections::HashMap;
use time::Date;
use uuid::Uuid;

const COPY: Scratch = Scratch {
    kept: "org_tally",
    name: "org_tally_recount",
    key: &["org_id", "on_date"],
    values: &["members", "official", "probationary", "female", "minority"],
};

/// Recomputed rows gathered before they are written to the copy.
const FLUSH_AT: usize = 200_000;

/// A ledger row unlike its recomputation: (organisation, date, kept, recomputed).
pub type Difference = (Uuid, Date, Tally, Tally);

/// A recount of the ledger under way, on one connection.
pub struct Recount {
    gathered: Ledger,
}

impl Recount {
    /// Start: an empty copy of the ledger.
    pub async fn start(e: &mut impl Exec) -> Result<Recount, StoreError> {
        COPY.create(e).await?;
        Ok(Recount { gathered: Ledger::default() })
    }

    /// Add recomputed rows (a member's, a page's); written to the copy when enough are gathered.
    pub async fn add(&mut self, e: &mut impl Exec, rows: &Ledger) -> Result<(), StoreError> {
        self.gathered.merge(rows, 1);
        if self.gathered.len() >= FLUSH_AT {
            crate::history::add_ledger(e, COPY.name, &std::mem::take(&mut self.gathered)).await?;
        }
        Ok(())
    }

    /// The kept rows unlike the recomputation (rows that sum to zero are as good as absent),
    /// and how many rows the recomputation has; the copy is dropped.
    pub async fn finish(mut self, e: &mut impl Exec) -> Result<(Vec<Difference>, i64), StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            org_id: Uuid,
            on_date: Date,
            kept_members: i64,
            counted_members: i64,
            kept_official: i64,
            counted_official: i64,
            kept_probationary: i64,
            counted_probationary: i64,
            kept_female: i64,
            counted_female: i64,
            kept_minority: i64,
            counted_minority: i64,
        }
        crate::history::add_ledger(e, COPY.name, &std::mem::take(&mut self.gathered)).await?;
        let rows: Vec<Row> = dynamic_sql(COPY.differences()).fetch_all(e).await?;
        let recomputed = dynamic_sql(format!(
            "SELECT COUNT(*) FROM {} WHERE members <> 0 OR official <> 0 OR probationary <> 0 \
             OR female <> 0 OR minority <> 0",
            COPY.name
        ))
        .fetch_i64(e)
        .await?;
        COPY.drop(e).await?;
        let differences = rows
            .into_iter()
            .map(|r| {
                let kept = Tally {
                    members: r.kept_members,
                    official: r.kept_official,
                    probationary: r.kept_probationary,
                    female: r.kept_female,
                    minority: r.kept_minority,
                };
                let counted = Tally {
                    members: r.counted_members,
                    official: r.counted_official,
                    probationary: r.counted_probationary,
                    female: r.counted_female,
                    minority: r.counted_minority,
                };
                (r.org_id, r.on_date, kept, counted)
            })
            .collect();
        Ok((differences, recomputed))
    }
}

/// Each organisation's kept ledger rows summed up to `day` (included), read from the rows
/// themselves: what its counters must equal on that day.
pub async fn sums_through(e: &mut impl Exec, day: Date) -> Result<HashMap<Uuid, Tally>, StoreError> {
    let rows: Vec<crate::history::OrgTally> =
        sql("SELECT org_id, CAST(SUM(members) AS BIGINT) AS members, CAST(SUM(official) AS BIGINT) AS official, \
         CAST(SUM(probationary) AS BIGINT) AS probationary, CAST(SUM(female) AS BIGINT) AS female, \
         CAST(SUM(minority) AS BIGINT) AS minority FROM org_tally WHERE on_date <= $1 GROUP BY org_id")
        .bind(day)
        .fetch_all(e)
        .await?;
    Ok(rows.into_iter().map(|r| (r.org_id, r.tally())).collect())
}
