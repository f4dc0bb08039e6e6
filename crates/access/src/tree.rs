//! What every change of the tree shares: inserting an organisation, the checks of a move and
//! of a dated change, dissolution, and the records of a change (the audit row and the dated
//! organisation event). Used by `orgs` (the edit form) and `restructure` (the dated
//! decisions); uses neither.

use crate::derived::with_derived;
use crate::load::{load_org, org_target};
use crate::{Outcome, Viewer, snapshot};
use chibo_domain::access::Action;
use chibo_domain::life::Decision;
use chibo_domain::org::{EstablishmentHistory, OrgInput};
use chibo_domain::{FieldError, Problem, Validation, path};
use chibo_store::history::{self, OrgEvent};
use chibo_store::orgs::{self, NewOrg, Org, OrgStats};
use chibo_store::{Tx, audit, events, members};
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// When a restructuring takes effect and the decision behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dated {
    pub effective: Date,
    #[serde(default)]
    pub decision: Decision,
}

impl Dated {
    /// Effective on `effective`, with no decision recorded.
    pub fn on(effective: Date) -> Dated {
        Dated { effective, decision: Decision::default() }
    }
}

/// The decision's texts, and an effective date not in the future and not before `latest`.
pub(crate) fn check_date(d: &Dated, latest: Option<Date>, today: Date) -> Outcome<()> {
    let mut texts = chibo_domain::Validation::default();
    d.decision.check_texts(&mut texts);
    texts.finish(())?;
    if d.effective > today {
        return Err(Problem::field(
            "effective",
            "in_future",
            "Ngày hiệu lực: không thể ở tương lai.",
            "Effective date: cannot be in the future.",
        ));
    }
    if let Some(latest) = latest
        && d.effective < latest
    {
        return Err(Problem::field(
            "effective",
            "before_last_change",
            format!(
                "Ngày hiệu lực: phải từ ngày thay đổi gần nhất của tổ chức ({}) trở về sau.",
                chibo_domain::date::format_vn(latest)
            ),
            format!("Effective date: must be on or after the organisation's last change ({latest})."),
        ));
    }
    Ok(())
}

/// The start of an organisation's latest link (its last restructuring).
pub(crate) async fn latest_change(tx: &mut Tx, org: Uuid) -> Outcome<Option<Date>> {
    let links = history::links_of(tx, &[org]).await?;
    Ok(links.iter().filter_map(|l| l.from).max())
}

/// A dissolved organisation's history is closed: no dated change may reopen or overlap it.
pub(crate) fn check_not_dissolved(org: &Org) -> Outcome<()> {
    if org.is_dissolved() {
        return Err(Problem::field(
            "effective",
            "already_dissolved",
            "Tổ chức đã giải thể.",
            "The organisation is already dissolved.",
        ));
    }
    Ok(())
}

/// Refused if anyone was on the organisation's rolls or attached to it after `on`, or an
/// organisation was under it after `on`: dissolved on `on`, it would have counted them while
/// it had no place in the tree.
pub(crate) async fn check_empty_after(tx: &mut Tx, org: Uuid, on: Date) -> Outcome<()> {
    let spans = events::in_org_after(tx, org, on).await?;
    let links = history::children_after(tx, org, on).await?;
    let ends: Vec<Option<Date>> = spans.iter().map(|(_, s)| s.to).chain(links.iter().map(|l| l.to)).collect();
    if ends.is_empty() {
        return Ok(());
    }
    if ends.contains(&None) {
        return Err(Problem::field(
            "effective",
            "not_empty",
            "Tổ chức còn đảng viên sinh hoạt tạm thời; hãy kết thúc sinh hoạt tạm thời trước khi giải thể.",
            "Members are still temporarily attached to the organisation; end their attachment first.",
        ));
    }
    let last = ends.into_iter().flatten().max().unwrap_or(on);
    Err(Problem::field(
        "effective",
        "not_empty_on_date",
        format!(
            "Ngày hiệu lực: đến ngày {} tổ chức vẫn còn đảng viên hoặc tổ chức trực thuộc; ngày giải thể phải từ ngày đó trở về sau.",
            chibo_domain::date::format_vn(last)
        ),
        format!(
            "Effective date: the organisation still had members or sub-organisations until {last}; dissolve it on or after that date."
        ),
    ))
}

/// Why a corrected date of establishment of `org` does not fit its history, if it does not
/// (`chibo_domain::org::check_established_on`): its first link's end, an organisation under it
/// without a date, and the first day anything happened in it before that date.
pub(crate) async fn established_conflict(
    tx: &mut Tx,
    org: Uuid,
    (was, on): (Option<Date>, Option<Date>),
    today: Date,
) -> Outcome<Option<FieldError>> {
    let first_link_ends = history::links_of(tx, &[org]).await?.into_iter().min_by_key(|l| l.from).and_then(|l| l.to);
    let first_activity = match on {
        Some(day) => history::first_activity_before(tx, org, day).await?,
        None => None,
    };
    let undated_child = on.is_some() && history::has_undated_child(tx, org).await?;
    let h = EstablishmentHistory { was, first_link_ends, first_activity, undated_child, today };
    Ok(chibo_domain::org::check_established_on(on, &h))
}

/// The dated event of a restructuring in the organisation's history (`org_events`).
pub(crate) async fn org_event(
    tx: &mut Tx,
    v: &Viewer,
    org: &Org,
    kind: &str,
    d: &Dated,
    detail: serde_json::Value,
) -> Outcome<()> {
    let ev = OrgEvent {
        id: Uuid::now_v7(),
        org_id: org.id,
        kind: kind.to_string(),
        effective: d.effective,
        decision_number: d.decision.number.clone(),
        decision_body: d.decision.body.clone(),
        detail,
        recorded_by: v.user_id,
        recorded_by_name: v.display_name.clone(),
        recorded_at: OffsetDateTime::now_utc(),
    };
    history::insert_org_event(tx, &ev).await.map_err(Problem::from)
}

/// Dissolve an empty organisation from a date (*giải thể*): the one path of every dissolution
/// (the dissolution action, a merge, a split, and an edit that sets `dissolved_on`).
pub(crate) async fn dissolve(tx: &mut Tx, v: &Viewer, id: Uuid, d: &Dated, today: Date) -> Outcome<Org> {
    let org = load_org(tx, id).await?;
    v.check(Action::Write, org_target(&org))?;
    check_not_dissolved(&org)?;
    check_date(d, latest_change(tx, id).await?, today)?;
    let active_children = orgs::children(tx, id, false).await?;
    let in_transit = members::in_transit_to(tx, &org.path).await?;
    if org.stats.members > 0 || !active_children.is_empty() || !in_transit.is_empty() {
        return Err(Problem::field(
            "effective",
            "not_empty",
            format!(
                "Tổ chức còn {} đảng viên, {} tổ chức trực thuộc và {} đảng viên đang chuyển đến; hãy chuyển đi hoặc hợp nhất trước khi giải thể.",
                org.stats.members,
                active_children.len(),
                in_transit.len()
            ),
            format!(
                "The organisation still has {} members, {} sub-organisations and {} incoming transfers; move or merge them first.",
                org.stats.members,
                active_children.len(),
                in_transit.len()
            ),
        ));
    }
    check_empty_after(tx, id, d.effective).await?;
    let mut input = org.input.clone();
    input.dissolved_on = Some(d.effective);
    with_derived(tx, id, Some(d.effective), async |tx| {
        orgs::update_fields(tx, id, &input).await.map_err(Problem::from)
    })
    .await?;
    if org.kind().is_cell() {
        orgs::add_stats(tx, &org.path, OrgStats { cells: -1, ..OrgStats::default() }).await?;
    }
    let after = load_org(tx, id).await?;
    org_event(tx, v, &after, "dissolved", d, json!({})).await?;
    record(tx, v, "org.dissolve", &after, snapshot(&org), snapshot(&after)).await?;
    Ok(after)
}

/// Insert an organisation under `parent` (or as a root) with a new path, and count a new
/// cell in its ancestors. The caller checked rights and the input.
pub(crate) async fn insert_org(tx: &mut Tx, parent: Option<&Org>, input: &OrgInput) -> Outcome<Uuid> {
    let path = match parent {
        Some(p) => orgs::allocate_child_path(tx, p).await?,
        None => {
            let roots = orgs::roots(tx).await?;
            let next = roots.iter().filter_map(|r| u32::from_str_radix(&r.path, 36).ok()).max().map_or(0, |m| m + 1);
            path::segment(next).ok_or_else(|| Problem::Unavailable("too many roots".into()))?
        }
    };
    let id = Uuid::now_v7();
    let new = NewOrg { id, parent_id: parent.map(|p| p.id), path: &path, next_child: 0, input };
    with_derived(tx, id, None, async |tx| orgs::insert(tx, &new).await.map_err(Problem::from)).await?;
    // The new cell counts in its own row already (set by insert); add it to the ancestors.
    if input.kind.is_cell()
        && input.dissolved_on.is_none()
        && let Some(parent_path) = path::ancestors(&path).last()
    {
        orgs::add_stats(tx, parent_path, OrgStats { cells: 1, ..OrgStats::default() }).await?;
    }
    Ok(id)
}

/// Whether `org` may move under `parent`: not into itself, not where it is, kinds allowed,
/// parent active.
pub(crate) fn check_move(org: &Org, parent: &Org) -> Validation {
    let mut val = Validation::default();
    if path::is_within(&parent.path, &org.path) {
        val.push(FieldError::new(
            "new_parent_id",
            "cycle",
            "Cấp trên mới: không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó.",
            "New parent: cannot move an organisation into itself or its own subtree.",
        ));
    } else if Some(parent.id) == org.parent_id {
        val.push(FieldError::new(
            "new_parent_id",
            "same_parent",
            "Cấp trên mới: đang là cấp trên hiện nay.",
            "New parent: it is already the parent.",
        ));
    }
    if !parent.kind().may_contain(org.kind()) {
        val.push(FieldError::new(
            "new_parent_id",
            "kind_not_allowed_here",
            format!("Cấp trên mới: {} không thể trực thuộc {}.", org.kind().label_vi(), parent.kind().label_vi()),
            format!("New parent: a {} cannot sit under a {}.", org.kind().label_en(), parent.kind().label_en()),
        ));
    }
    if parent.is_dissolved() {
        val.push(FieldError::new(
            "new_parent_id",
            "parent_dissolved",
            "Cấp trên mới: tổ chức này đã giải thể.",
            "New parent: this organisation is dissolved.",
        ));
    }
    val
}

/// The audit row of a change of an organisation.
pub(crate) async fn record(
    tx: &mut Tx,
    v: &Viewer,
    action: &str,
    org: &Org,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Outcome<()> {
    let entry = v.audit(action, "org", Some(org.id), Some(&org.path), before, after);
    audit::record(tx, &entry).await.map_err(Problem::from)
}
