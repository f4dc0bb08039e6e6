//! The programme form — written once (`POST /orgs/{id}/inspection/programmes`, on the hub) and
//! edited while it runs (`GET /orgs/{id}/inspection/programmes/{pid}/edit`, `POST
//! /orgs/{id}/inspection/programmes/{pid}`): each item names an organisation directly under it
//! or a member of the subtree by name, a month and the content; an edit shows the items with
//! their ids (a started one cannot change, the access layer refuses it) and a few blank rows.

use super::{children, people, pick, refused};
use crate::State;
use crate::inspection_input::{ProgrammeEditFields, ProgrammeFields, ProgrammeItemFields};
use crate::ui::form::{Field, FormPage, Kind};
use crate::ui::page::{Ctx, Posted, UiError, parse_id};
use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::{Problem, ProgrammeView};
use uuid::Uuid;

/// Blank rows under the items of a programme.
const BLANK_ROWS: usize = 4;
/// Rows read back from a posted form at most.
const MAX_ROWS: usize = 200;

/// The form's fields: the title, the year and kind of a new programme (`version` 0) or the
/// version read of an edited one, then the rows of `f.items` and blank rows.
pub(super) async fn programme_fields(
    state: &State,
    ctx: &Ctx,
    org: Uuid,
    f: &ProgrammeFields,
    version: i64,
) -> Vec<Field> {
    let lang = ctx.lang;
    let (orgs, members) = (children(state, ctx, org).await, people(state, ctx, org).await);
    let mut fields = vec![Field::text("title", pick(lang, "Tên chương trình", "Title"), &f.title).required()];
    if version == 0 {
        let kinds = vec![
            ("inspection".to_string(), pick(lang, "Kiểm tra", "Inspection")),
            ("supervision".to_string(), pick(lang, "Giám sát", "Supervision")),
        ];
        fields.push(Field::text("year", pick(lang, "Năm", "Year"), &f.year).kind(Kind::Number).required());
        fields.push(Field::select("kind", pick(lang, "Loại", "Kind"), &f.kind, kinds, None));
    } else {
        fields.push(Field::hidden("version", &version.to_string()));
    }
    for i in 0..f.items.len() + BLANK_ROWS {
        let it = f.items.get(i).cloned().unwrap_or_default();
        fields.push(Field::hidden(format!("items.{i}.id"), it.id.as_deref().unwrap_or("")));
        fields.push(Field::select(
            format!("items.{i}.subject_org_id"),
            format!("{} {}", pick(lang, "Tổ chức", "Organisation"), i + 1),
            &it.subject_org_id,
            orgs.clone(),
            Some("—"),
        ));
        fields.push(Field::select(
            format!("items.{i}.subject_member_id"),
            pick(lang, "Hoặc đảng viên", "Or a member"),
            &it.subject_member_id,
            members.clone(),
            Some("—"),
        ));
        fields.push(
            Field::text(format!("items.{i}.planned_month"), pick(lang, "Tháng", "Month"), &it.planned_month)
                .kind(Kind::Number),
        );
        fields.push(Field::text(format!("items.{i}.content"), pick(lang, "Nội dung", "Content"), &it.content));
    }
    fields
}

/// The rows of a posted form that name a subject.
fn posted_items(form: &Posted) -> Vec<ProgrammeItemFields> {
    let get = |i: usize, name: &str| form.get(&format!("items.{i}.{name}")).map(str::to_string);
    (0..MAX_ROWS)
        .map(|i| ProgrammeItemFields {
            id: get(i, "id").filter(|s| !s.is_empty()),
            subject_org_id: get(i, "subject_org_id").filter(|s| !s.is_empty()),
            subject_member_id: get(i, "subject_member_id").filter(|s| !s.is_empty()),
            content: get(i, "content"),
            planned_month: get(i, "planned_month"),
        })
        .filter(|it| it.subject_org_id.is_some() || it.subject_member_id.is_some())
        .collect()
}

pub(super) fn programme_of_form(form: &Posted) -> ProgrammeFields {
    let mut f: ProgrammeFields = form.to();
    f.items = posted_items(form);
    f
}

/// A programme's items as the form's text.
fn fields_of(p: &ProgrammeView) -> ProgrammeFields {
    let items = p
        .items
        .iter()
        .map(|(i, _)| ProgrammeItemFields {
            id: Some(i.id.to_string()),
            subject_org_id: i.subject_member_id.is_none().then(|| i.subject_org_id.to_string()),
            subject_member_id: i.subject_member_id.map(|m| m.to_string()),
            content: Some(i.content.clone()),
            planned_month: Some(i.planned_month.to_string()),
        })
        .collect();
    ProgrammeFields { title: Some(p.programme.title.clone()), items, ..ProgrammeFields::default() }
}

async fn programme_view(state: &State, ctx: &Ctx, org: Uuid, pid: Uuid) -> Result<ProgrammeView, Problem> {
    let (_, list) = state.app.programmes(&ctx.viewer, org).await?;
    list.into_iter().find(|p| p.programme.id == pid).ok_or(Problem::NotFound)
}

fn heading(ctx: &Ctx) -> String {
    pick(ctx.lang, "Sửa chương trình kiểm tra, giám sát", "Edit the programme")
}

/// `GET /orgs/{id}/inspection/programmes/{pid}/edit`: the form with the programme's items.
pub async fn edit_page(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, pid)): Path<(String, String)>,
) -> Result<FormPage, UiError> {
    let (id, pid) = (parse_id(&ctx, &id)?, parse_id(&ctx, &pid)?);
    let p = programme_view(&state, &ctx, id, pid).await.map_err(|p| ctx.fail(p))?;
    let fields = programme_fields(&state, &ctx, id, &fields_of(&p), p.programme.version).await;
    let heading = heading(&ctx);
    Ok(FormPage {
        c: ctx.chrome(heading.clone()),
        t: ctx.t,
        heading,
        intro: pick(
            ctx.lang,
            "Nội dung đã triển khai bằng một cuộc kiểm tra, giám sát giữ nguyên; xóa trắng một dòng để bỏ nội dung chưa triển khai.",
            "Items carried out by a case stay as they are; clear a row to remove an item not started.",
        ),
        action: format!("/orgs/{id}/inspection/programmes/{pid}"),
        fields,
        general: Vec::new(),
        submit: ctx.t.save,
        cancel: format!("/orgs/{id}/inspection#programmes"),
    })
}

/// `POST /orgs/{id}/inspection/programmes/{pid}`: save the edit.
pub async fn edit(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, pid)): Path<(String, String)>,
    form: Posted,
) -> Result<Response, UiError> {
    let (id, pid) = (parse_id(&ctx, &id)?, parse_id(&ctx, &pid)?);
    ctx.check_csrf(&form)?;
    // The programme must be the organisation's: the same "not found" as a foreign one.
    programme_view(&state, &ctx, id, pid).await.map_err(|p| ctx.fail(p))?;
    let f: ProgrammeEditFields = ProgrammeEditFields { items: posted_items(&form), ..form.to() };
    let outcome = match f.parse() {
        Ok(input) => state.app.edit_programme(&ctx.viewer, pid, &input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}/inspection#programmes")).into_response()),
        Err(p) => {
            let shown =
                ProgrammeFields { title: f.title.clone(), items: f.items.clone(), ..ProgrammeFields::default() };
            let version = f.version.as_deref().and_then(|v| v.trim().parse().ok()).unwrap_or(1);
            let fields = programme_fields(&state, &ctx, id, &shown, version).await;
            let action = format!("/orgs/{id}/inspection/programmes/{pid}");
            refused(&ctx, p, heading(&ctx), action, fields, format!("/orgs/{id}/inspection#programmes"))
        }
    }
}
