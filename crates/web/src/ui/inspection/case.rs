//! `/inspection/cases/{id}`: a case's facts, steps, conclusion, recommendations (with their
//! "done" forms), discipline and appeal, and the forms its viewer may use as it stands.

use super::case_forms::case_forms;
use super::{FormBox, Table, date_field, kind_label, pick, result_label};
use crate::State;
use crate::ui::form::Field;
use crate::ui::meetings::DocumentRow;
use crate::ui::page::{Chrome, Ctx, UiError, parse_id};
use crate::ui::text::Texts;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State as S};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::inspection::{AppealOutcome, Penalty, Step};
use chibo_access::{CaseRole, CaseView, Lang};
use uuid::Uuid;

#[derive(Template, WebTemplate)]
#[template(path = "inspection_case.html")]
pub struct CasePage {
    c: Chrome,
    t: &'static Texts,
    heading: String,
    decider_href: String,
    decider: String,
    facts: Vec<(String, String)>,
    steps: Table,
    conclusion: Vec<(String, String)>,
    recommendations: Vec<(String, Option<FormBox>)>,
    discipline: Vec<(String, String)>,
    forms: Vec<FormBox>,
    labels: Vec<String>,
    /// The case's documents; attached and removed by the deciding body while the case is open.
    documents: Vec<DocumentRow>,
    may_upload: bool,
    owner_id: String,
    /// Why the last upload was refused.
    general: Vec<String>,
    /// The printed notice of the conclusion, once concluded.
    print_href: String,
}

/// `GET /inspection/cases/{id}`.
pub async fn case(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<CasePage, UiError> {
    let id = parse_id(&ctx, &id)?;
    case_page(&state, &ctx, id, Vec::new()).await
}

/// The case's page, with `general` the errors of a refused upload.
pub(super) async fn case_page(state: &State, ctx: &Ctx, id: Uuid, general: Vec<String>) -> Result<CasePage, UiError> {
    let v = state.app.case(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let docs = state.app.case_documents(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let documents =
        docs.iter().map(|d| DocumentRow::new(d.id, &d.file_name, d.size, &d.uploaded_by, d.uploaded_at)).collect();
    let may_upload = v.role == CaseRole::Decider && v.line.case.concluded_on.is_none();
    Ok(CasePage { documents, may_upload, owner_id: id.to_string(), general, ..page(ctx, &v) })
}

fn opt(d: Option<time::Date>) -> String {
    d.map(format_vn).unwrap_or_default()
}

/// A discipline form's label from its code.
pub(super) fn form_label(code: Option<&str>, lang: Lang) -> String {
    code.and_then(Penalty::parse).map(|p| p.label(lang).to_string()).unwrap_or_default()
}

/// Who decided: the inspection committee or the committee.
pub(super) fn body_label(by_inspection: bool, lang: Lang) -> String {
    if by_inspection {
        pick(lang, "Ủy ban kiểm tra", "Inspection committee")
    } else {
        pick(lang, "Cấp ủy", "Committee")
    }
}

/// The case's facts as the page lists them.
fn facts(v: &CaseView, lang: Lang) -> Vec<(String, String)> {
    let c = &v.line.case;
    vec![
        (pick(lang, "Số quyết định", "Decision"), format!("{} ({})", c.decision_number, format_vn(c.decided_on))),
        (pick(lang, "Đối tượng", "Subject"), v.line.subject_name.clone()),
        (pick(lang, "Cấp quyết định", "Decided by"), body_label(c.by_inspection, lang)),
        (pick(lang, "Đoàn, tổ", "Team"), c.team.clone()),
        (pick(lang, "Nội dung", "Content"), c.content.clone()),
        (pick(lang, "Thời hạn", "Due"), format_vn(c.due_on)),
        (pick(lang, "Kết quả", "Result"), result_label(&c.result, lang)),
    ]
}

/// The discipline and the appeal, once proposed.
fn discipline(v: &CaseView, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(d) = &v.discipline {
        out = vec![
            (
                pick(lang, "Đề nghị", "Proposed"),
                format!("{} ({})", form_label(Some(&d.proposed_form), lang), format_vn(d.proposed_on)),
            ),
            (pick(lang, "Bản kiểm điểm", "Self-review"), format!("{} {}", opt(d.self_review_on), d.self_review)),
            (
                pick(lang, "Phiếu", "Ballots"),
                format!("{} / {}", d.votes, d.body_members.map(|n| n.to_string()).unwrap_or_default()),
            ),
            (
                pick(lang, "Quyết định", "Decision"),
                format!(
                    "{} {} {}",
                    d.decision_number.clone().unwrap_or_default(),
                    opt(d.decided_on),
                    form_label(d.decided_form.as_deref(), lang)
                ),
            ),
            (pick(lang, "Hình thức đang có hiệu lực", "Form in force"), form_label(d.form_in_force.as_deref(), lang)),
        ];
    }
    if let Some(a) = &v.appeal {
        out.push((
            pick(lang, "Khiếu nại", "Appeal"),
            format!(
                "{} · {} {} · {}",
                format_vn(a.filed_on),
                pick(lang, "hạn giải quyết", "answer by"),
                format_vn(a.answer_by),
                v.appeal_body_name.clone().unwrap_or_default()
            ),
        ));
        if let Some(o) = a.outcome.as_deref().and_then(AppealOutcome::parse) {
            out.push((
                pick(lang, "Kết quả giải quyết", "Outcome"),
                format!("{} {} {}", o.label(lang), a.answer_number.clone().unwrap_or_default(), opt(a.answered_on)),
            ));
        }
    }
    out
}

fn page(ctx: &Ctx, v: &CaseView) -> CasePage {
    let (lang, today) = (ctx.lang, ctx.today());
    let c = &v.line.case;
    let headers = [("Bước", "Step"), ("Hạn", "Deadline"), ("Ngày thực hiện", "Taken on"), ("Ghi chú", "Note")];
    let steps = Table::of(lang, &headers, &v.steps, |s| {
        let step = Step::parse(&s.step).map(|x| x.label(lang).to_string()).unwrap_or_default();
        (None, vec![step, opt(s.deadline), opt(s.taken_on), s.note.clone()])
    });
    let mut conclusion = Vec::new();
    if c.concluded_on.is_some() {
        conclusion = vec![
            (pick(lang, "Ngày kết luận", "Concluded on"), opt(c.concluded_on)),
            (pick(lang, "Ưu điểm", "Strengths"), c.strengths.clone()),
            (pick(lang, "Khuyết điểm", "Shortcomings"), c.shortcomings.clone()),
            (pick(lang, "Vi phạm", "Violations"), c.violations.clone()),
            (pick(lang, "Ngày vi phạm", "Violated on"), opt(c.violated_on)),
            (pick(lang, "Hết thời hiệu", "Limitation ends"), opt(v.limitation_ends)),
        ];
    }
    let recommendations = v
        .recommendations
        .iter()
        .map(|r| {
            let line = format!(
                "{} — {} · {} {} · {}",
                r.content,
                r.owner,
                pick(lang, "hạn", "due"),
                format_vn(r.deadline),
                r.done_on.map_or_else(
                    || pick(lang, "chưa xong", "not done"),
                    |d| format!("{} {}", pick(lang, "xong", "done"), format_vn(d))
                )
            );
            let form = (v.role == CaseRole::Decider && r.done_on.is_none()).then(|| FormBox {
                title: String::new(),
                action: format!("/inspection/recommendations/{}", r.id),
                submit: pick(lang, "Đánh dấu hoàn thành", "Mark done"),
                fields: vec![
                    date_field("done_on", "Ngày hoàn thành", "Done on", lang, today),
                    Field::text("note", pick(lang, "Ghi chú", "Note"), &None),
                ],
            });
            (line, form)
        })
        .collect();
    let heading = format!("{} · {}", kind_label(&c.kind, lang), c.decision_number);
    CasePage {
        c: ctx.chrome(heading.clone()),
        t: ctx.t,
        heading,
        decider_href: format!("/orgs/{}/inspection", c.org_id),
        decider: v.line.decider_name.clone(),
        facts: facts(v, lang),
        steps,
        conclusion,
        recommendations,
        discipline: discipline(v, lang),
        forms: case_forms(v, lang, today),
        labels: vec![
            pick(lang, "Các bước", "Steps"),
            pick(lang, "Kết luận", "Conclusion"),
            pick(lang, "Kiến nghị", "Recommendations"),
            pick(lang, "Kỷ luật", "Discipline"),
            pick(lang, "In thông báo kết luận", "Print the conclusion"),
        ],
        documents: Vec::new(),
        may_upload: false,
        owner_id: String::new(),
        general: Vec::new(),
        print_href: c.concluded_on.map(|_| format!("{}/print", super::case_href(c.id))).unwrap_or_default(),
    }
}
