//! Member events (*quá trình hoạt động trong Đảng*) and the spans replayed from them.

use crate::StoreError;
use crate::db::{Exec, dynamic_sql, placeholders, sql};
use crate::insert_rows::InsertRows;
use chibo_domain::life::{Decision, Detail, Event, EventKind, Span, SpanKind};
use chibo_domain::member::MemberStatus;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// An event with who recorded it and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    pub member_id: Uuid,
    pub event: Event,
    pub recorded_by: Option<Uuid>,
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: Uuid,
    member_id: Uuid,
    kind: String,
    effective_on: Date,
    org_id: Option<Uuid>,
    ref_id: Option<Uuid>,
    decision_number: Option<String>,
    decision_body: Option<String>,
    decision_on: Option<Date>,
    detail: String,
    recorded_by: Option<Uuid>,
    recorded_by_name: String,
    recorded_at: OffsetDateTime,
}

const EVENT_COLUMNS: &str = "id, member_id, kind, effective_on, org_id, ref_id, decision_number, decision_body, \
     decision_on, detail, recorded_by, recorded_by_name, recorded_at";

impl TryFrom<EventRow> for EventRecord {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<EventRecord, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("member event {}: {what}", r.id));
        Ok(EventRecord {
            member_id: r.member_id,
            event: Event {
                id: r.id,
                kind: EventKind::parse(&r.kind).ok_or_else(|| corrupt("kind"))?,
                effective: r.effective_on,
                org_id: r.org_id,
                ref_id: r.ref_id,
                decision: Decision { number: r.decision_number, body: r.decision_body, signed_on: r.decision_on },
                detail: serde_json::from_str::<Detail>(&r.detail).map_err(|_| corrupt("detail"))?,
            },
            recorded_by: r.recorded_by,
            recorded_by_name: r.recorded_by_name,
            recorded_at: r.recorded_at,
        })
    }
}

/// Append events (never updated afterwards).
pub async fn insert_many(e: &mut impl Exec, records: &[EventRecord]) -> Result<(), StoreError> {
    let mut q = InsertRows::new("member_events", EVENT_COLUMNS).with_rows(records.len());
    for r in records {
        let ev = &r.event;
        q.push(ev.id);
        q.push(r.member_id);
        q.push(ev.kind.code());
        q.push(ev.effective);
        q.push(ev.org_id);
        q.push(ev.ref_id);
        q.push(ev.decision.number.clone());
        q.push(ev.decision.body.clone());
        q.push(ev.decision.signed_on);
        q.push(serde_json::to_string(&ev.detail).map_err(|e| StoreError::Corrupt(e.to_string()))?);
        q.push(r.recorded_by);
        q.push(r.recorded_by_name.as_str());
        q.push(r.recorded_at);
    }
    q.run(e).await
}

/// A member's events, in the order they were recorded.
pub async fn of_member(e: &mut impl Exec, member: Uuid) -> Result<Vec<EventRecord>, StoreError> {
    let rows: Vec<EventRow> = dynamic_sql(format!("SELECT {EVENT_COLUMNS} FROM member_events WHERE member_id = $1"))
        .bind(member)
        .fetch_all(e)
        .await?;
    let mut out = rows.into_iter().map(EventRecord::try_from).collect::<Result<Vec<_>, _>>()?;
    in_recorded_order(&mut out);
    Ok(out)
}

/// Sort by time recorded, then id. Done here rather than by `ORDER BY recorded_at`: SQLite
/// keeps the time as RFC 3339 text with the fraction's trailing zeros trimmed, which does not
/// sort as time (`…:05.1Z` after `…:05.12Z`).
fn in_recorded_order(records: &mut [EventRecord]) {
    records.sort_by_key(|r| (r.recorded_at, r.event.id));
}

#[derive(sqlx::FromRow)]
struct SpanRow {
    member_id: Uuid,
    kind: String,
    org_id: Uuid,
    status: String,
    from_on: Date,
    to_on: Option<Date>,
}

impl TryFrom<SpanRow> for (Uuid, Span) {
    type Error = StoreError;
    fn try_from(r: SpanRow) -> Result<(Uuid, Span), StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("span of member {}: {what}", r.member_id));
        Ok((
            r.member_id,
            Span {
                kind: SpanKind::parse(&r.kind).ok_or_else(|| corrupt("kind"))?,
                org_id: r.org_id,
                status: MemberStatus::parse(&r.status).ok_or_else(|| corrupt("status"))?,
                from: r.from_on,
                to: r.to_on,
            },
        ))
    }
}

const SPAN_COLUMNS: &str = "member_id, kind, org_id, status, from_on, to_on";

/// A member's stored spans.
pub async fn spans_of(e: &mut impl Exec, member: Uuid) -> Result<Vec<Span>, StoreError> {
    let rows: Vec<SpanRow> = dynamic_sql(format!("SELECT {SPAN_COLUMNS} FROM member_spans WHERE member_id = $1"))
        .bind(member)
        .fetch_all(e)
        .await?;
    rows.into_iter().map(|r| <(Uuid, Span)>::try_from(r).map(|(_, s)| s)).collect()
}

/// Insert spans of many members.
pub async fn insert_spans(e: &mut impl Exec, spans: &[(Uuid, Span)]) -> Result<(), StoreError> {
    let mut q = InsertRows::new("member_spans", SPAN_COLUMNS).with_rows(spans.len());
    for (m, s) in spans {
        q.push(*m);
        q.push(s.kind.code());
        q.push(s.org_id);
        q.push(s.status.code());
        q.push(s.from);
        q.push(s.to);
    }
    q.run(e).await
}

/// Replace a member's spans with a new replay's.
pub async fn replace_spans(e: &mut impl Exec, member: Uuid, spans: &[Span]) -> Result<(), StoreError> {
    sql("DELETE FROM member_spans WHERE member_id = $1").bind(member).execute(e).await?;
    let rows: Vec<(Uuid, Span)> = spans.iter().map(|s| (member, *s)).collect();
    insert_spans(e, &rows).await
}

/// The spans (home or attached) in one organisation that are still open or end after `on`:
/// whoever was there after that date.
pub async fn in_org_after(e: &mut impl Exec, org: Uuid, on: Date) -> Result<Vec<(Uuid, Span)>, StoreError> {
    let rows: Vec<SpanRow> = dynamic_sql(format!(
        "SELECT {SPAN_COLUMNS} FROM member_spans WHERE org_id = $1 AND (to_on IS NULL OR to_on > $2)"
    ))
    .bind(org)
    .bind(on)
    .fetch_all(e)
    .await?;
    rows.into_iter().map(<(Uuid, Span)>::try_from).collect()
}

/// The members of one organisation (its own rolls, not its subtree) on a date, by span kind.
pub async fn in_org_on(
    e: &mut impl Exec,
    org: Uuid,
    kind: SpanKind,
    on: Date,
) -> Result<Vec<(Uuid, Span)>, StoreError> {
    let rows: Vec<SpanRow> = dynamic_sql(format!(
        "SELECT {SPAN_COLUMNS} FROM member_spans WHERE org_id = $1 AND kind = $2 AND from_on <= $3 \
         AND (to_on IS NULL OR to_on > $3)"
    ))
    .bind(org)
    .bind(kind.code())
    .bind(on)
    .fetch_all(e)
    .await?;
    rows.into_iter().map(<(Uuid, Span)>::try_from).collect()
}

/// Every span (for checks that replay the whole registry).
pub async fn all_spans(e: &mut impl Exec) -> Result<Vec<(Uuid, Span)>, StoreError> {
    let rows: Vec<SpanRow> = dynamic_sql(format!("SELECT {SPAN_COLUMNS} FROM member_spans")).fetch_all(e).await?;
    rows.into_iter().map(<(Uuid, Span)>::try_from).collect()
}

/// The events of many members, grouped by member, each in the order recorded.
pub async fn of_members(
    e: &mut impl Exec,
    members: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<EventRecord>>, StoreError> {
    let mut out: std::collections::HashMap<Uuid, Vec<EventRecord>> = std::collections::HashMap::new();
    for chunk in members.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT {EVENT_COLUMNS} FROM member_events WHERE member_id IN ({})",
            crate::db::placeholders(1, chunk.len())
        ));
        for id in chunk {
            q.push_arg(*id);
        }
        for r in q.fetch_all::<EventRow>(e).await? {
            let r = EventRecord::try_from(r)?;
            out.entry(r.member_id).or_default().push(r);
        }
    }
    out.values_mut().for_each(|v| in_recorded_order(v));
    Ok(out)
}

/// The stored spans of many members.
pub async fn spans_of_members(e: &mut impl Exec, members: &[Uuid]) -> Result<Vec<(Uuid, Span)>, StoreError> {
    let mut out = Vec::new();
    for chunk in members.chunks(500) {
        let mut q = dynamic_sql(format!(
            "SELECT {SPAN_COLUMNS} FROM member_spans WHERE member_id IN ({})",
            placeholders(1, chunk.len())
        ));
        for id in chunk {
            q.push_arg(*id);
        }
        for r in q.fetch_all::<SpanRow>(e).await? {
            out.push(<(Uuid, Span)>::try_from(r)?);
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct IdRow {
    id: Uuid,
}

/// The id of every member record, in id order.
pub async fn member_ids(e: &mut impl Exec) -> Result<Vec<Uuid>, StoreError> {
    let rows: Vec<IdRow> = sql("SELECT id FROM members ORDER BY id").fetch_all(e).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}
