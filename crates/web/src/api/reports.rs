//! `GET /api/v1/orgs/{id}/report`: the statistics report of a subtree.

use super::restructure::on_date;
use super::{Reader, parse_id};
use crate::{ApiError, OrApi, State};
use axum::Json;
use axum::extract::{Path, Query, State as S};
use chibo_access::Report;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    pub on: Option<String>,
    pub period: Option<String>,
}

pub async fn report(
    S(s): S<State>,
    Reader(v, lang): Reader,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Json<Value>, ApiError> {
    let id = parse_id(&id, lang)?;
    let on = on_date(&q.on).or_api(lang)?;
    let period = q.period.unwrap_or_else(chibo_access::default_period);
    let r = s.app.report(&v, id, Some(on), &period).await.or_api(lang)?;
    Ok(Json(report_json(&r)))
}

fn report_json(r: &Report) -> Value {
    let sections: Vec<Value> = r
        .structure
        .sections
        .iter()
        .map(|s| {
            let rows: Vec<Value> = s
                .rows
                .iter()
                .map(|row| json!({"key": row.key, "label": row.label, "count": row.count, "detail": row.detail}))
                .collect();
            json!({"key": s.key, "title": s.title, "rows": rows})
        })
        .collect();
    let changes: Vec<Value> =
        r.changes.rows.iter().map(|row| json!({"key": row.key, "label": row.label, "count": row.count})).collect();
    json!({
        "org_id": r.org_id,
        "org_name": r.org_name,
        "on": r.structure.on.to_string(),
        "total": r.structure.total,
        "structure": sections,
        "period": {"code": r.period, "from": r.changes.from.to_string(), "to": r.changes.to.to_string()},
        "changes": changes,
        "admitted": {
            "young": r.changes.admitted_young,
            "female": r.changes.admitted_female,
            "minority": r.changes.admitted_minority,
        },
    })
}
