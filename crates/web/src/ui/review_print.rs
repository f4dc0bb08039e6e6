//! A member's self-assessment as the paper the member signs (*bản tự kiểm điểm cá nhân*),
//! `/reviews/{id}/members/{member}/print`: the party header and dateline, the member, the
//! strengths, shortcomings, causes and remedies, the points of each line of the sheet, the level
//! the member proposes, and the place to sign. Read by whoever may read the member's line.

use super::meeting_reports::{dateline, dateline_place};
use super::page::{Chrome, Ctx, UiError, parse_id};
use super::review::level_label;
use super::text::Texts;
use crate::State;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State as S};
use chibo_access::domain::date::format_vn;
use std::collections::BTreeMap;

/// One line of the sheet with the points entered.
pub struct PointsRow {
    label: String,
    most: u32,
    points: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "review_self_print.html")]
pub struct SelfPrintPage {
    c: Chrome,
    t: &'static Texts,
    back: String,
    parent: String,
    /// The cell's name as the heading writes it (capitals) and as the text writes it.
    cell: String,
    cell_name: String,
    dateline: String,
    period: String,
    name: String,
    birth_date: String,
    position: String,
    texts: Vec<(&'static str, &'static str, String)>,
    points: Vec<PointsRow>,
    score: String,
    level: String,
}

pub async fn print(
    S(state): S<State>,
    ctx: Ctx,
    Path((id, member)): Path<(String, String)>,
) -> Result<SelfPrintPage, UiError> {
    let (t, lang) = (ctx.t, ctx.lang);
    let (id, member) = (parse_id(&ctx, &id)?, parse_id(&ctx, &member)?);
    let m = state.app.review_member(&ctx.viewer, id, member).await.map_err(|p| ctx.fail(p))?;
    let record = state.app.member(&ctx.viewer, member).await.map_err(|p| ctx.fail(p))?;
    let l = &m.line.line;
    // The member reads their own line but not necessarily their cell's page: the heading then
    // has the cell's name from the line and no place in the dateline.
    let cell = state.app.org(&ctx.viewer, l.org_id, false).await.ok();
    let entered: BTreeMap<String, u32> =
        l.scores.as_deref().and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default();
    let points = m
        .sheet
        .iter()
        .flat_map(|s| &s.lines)
        .map(|line| PointsRow {
            label: lang.pick(&line.label_vi, &line.label_en).to_string(),
            most: line.points,
            points: entered.get(line.code.as_ref()).map(u32::to_string).unwrap_or_default(),
        })
        .collect();
    let dated = l.self_at.map_or_else(|| ctx.today(), |at| at.to_offset(time::macros::offset!(+7)).date());
    Ok(SelfPrintPage {
        c: ctx.chrome(format!("{} · {}", t.review_self_print, m.line.full_name)),
        t,
        back: format!("/reviews/{id}/members/{member}"),
        parent: cell.as_ref().and_then(|c| c.ancestors.last()).map(|o| o.input.name.to_uppercase()).unwrap_or_default(),
        cell: m.line.cell_name.to_uppercase(),
        cell_name: m.line.cell_name.clone(),
        dateline: dateline(lang, &cell.map(|c| dateline_place(&c.org.input.locality)).unwrap_or_default(), dated),
        period: m.period_label.clone(),
        name: m.line.full_name.clone(),
        birth_date: format_vn(record.member.input.birth_date),
        position: record.member.input.profile.position.clone().unwrap_or_default(),
        texts: vec![
            ("I", t.review_strengths, l.strengths.clone()),
            ("II", t.review_shortcomings, l.shortcomings.clone()),
            ("III", t.review_causes, l.causes.clone()),
            ("IV", t.review_remedies, l.remedies.clone()),
        ],
        points,
        score: l.score.map(|s| s.to_string()).unwrap_or_default(),
        level: level_label(&l.self_level, lang),
    })
}
