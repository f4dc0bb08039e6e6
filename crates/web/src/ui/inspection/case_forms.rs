//! The forms a case's viewer may use as the case stands (a step, the conclusion, the discipline's
//! proposal, self-review and ballot, the appeal and its answer) and their posts; a refused one
//! comes back alone with its errors.

use super::{FormBox, case_href, choices, date_field, pick, refused, text_area};
use crate::State;
use crate::input::{DateStyle, DoneFields};
use crate::inspection_input::{
    AppealAnswerFields, AppealFields, BallotFields, ConclusionFields, ProposalFields, RecommendationFields,
    SelfReviewFields, StepFields,
};
use crate::ui::form::{Field, Kind};
use crate::ui::page::{Ctx, Posted, UiError, parse_id};
use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::inspection::{AppealOutcome, CaseKind, Finding, GraveKind, Penalty, Step, steps_of};
use chibo_access::{CaseRole, CaseView, Lang, Problem};
use uuid::Uuid;

/// The forms the viewer may use on a case, as it stands.
pub(super) fn case_forms(v: &CaseView, lang: Lang, today: time::Date) -> Vec<FormBox> {
    let c = &v.line.case;
    let base = format!("/inspection/cases/{}", c.id);
    let mut out = Vec::new();
    let kind = CaseKind::parse(&c.kind);
    let open = c.concluded_on.is_none();
    if v.role == CaseRole::Decider && open {
        let taken: Vec<&str> = v.steps.iter().filter(|s| s.taken_on.is_some()).map(|s| s.step.as_str()).collect();
        let steps: Vec<(String, String)> = kind
            .map(steps_of)
            .unwrap_or(&[])
            .iter()
            .filter(|s| !matches!(s, Step::Decision | Step::Conclusion) && !taken.contains(&s.code()))
            .map(|s| (s.code().to_string(), s.label(lang).to_string()))
            .collect();
        if !steps.is_empty() {
            out.push(FormBox {
                title: pick(lang, "Ghi một bước", "Record a step"),
                action: format!("{base}/steps"),
                submit: pick(lang, "Ghi bước", "Record"),
                fields: vec![
                    Field::select(
                        "step",
                        pick(lang, "Bước", "Step"),
                        &v.next.map(|s| s.code().to_string()),
                        steps,
                        None,
                    ),
                    date_field("on", "Ngày", "Date", lang, today),
                    Field::text("note", pick(lang, "Ghi chú", "Note"), &None),
                ],
            });
        }
        let findings = kind
            .map(|k| {
                Finding::ALL
                    .iter()
                    .copied()
                    .filter(|f| k.may_find(*f))
                    .map(|f| (f.code().to_string(), f.label(lang).to_string()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let grave = GraveKind::ALL.iter().map(|g| (g.code().to_string(), g.label_vi().to_string()));
        out.push(FormBox {
            title: pick(lang, "Kết luận", "Conclusion"),
            action: format!("{base}/conclusion"),
            submit: pick(lang, "Ghi kết luận", "Record the conclusion"),
            fields: vec![
                date_field("on", "Ngày kết luận", "Conclusion date", lang, today),
                Field::select("finding", pick(lang, "Kết quả", "Finding"), &None, findings, None).required(),
                text_area("strengths", pick(lang, "Ưu điểm", "Strengths")),
                text_area("shortcomings", pick(lang, "Khuyết điểm", "Shortcomings")),
                text_area("violations", pick(lang, "Vi phạm", "Violations")),
                Field::date("violated_on", pick(lang, "Ngày vi phạm", "Date of the violation"), &None),
                Field::select(
                    "level",
                    pick(lang, "Mức độ vi phạm (hình thức tương ứng)", "Level (the form it warrants)"),
                    &None,
                    choices(Penalty::ALL, Penalty::code, Penalty::label, lang),
                    Some("—"),
                ),
                Field::select(
                    "grave",
                    pick(lang, "Loại vi phạm không áp dụng thời hiệu", "Grave kind"),
                    &None,
                    grave,
                    Some("—"),
                ),
                Field::text("recommendations.0.content", pick(lang, "Kiến nghị", "Recommendation"), &None),
                Field::text("recommendations.0.owner", pick(lang, "Người, tổ chức thực hiện", "Owner"), &None),
                Field::date("recommendations.0.deadline", pick(lang, "Thời hạn", "Deadline"), &None),
            ],
        });
    }
    let warranted = c.result == Finding::DisciplineWarranted.code();
    let d = v.discipline.as_ref();
    let decided = d.is_some_and(|d| d.decided_on.is_some());
    let forms_for = |org: bool| {
        Penalty::ALL
            .iter()
            .copied()
            .filter(|p| p.check_subject(org, today).is_ok())
            .map(|p| (p.code().to_string(), p.label(lang).to_string()))
            .collect::<Vec<_>>()
    };
    let org_subject = c.subject == "org";
    if v.role == CaseRole::Decider && warranted && d.is_none() {
        out.push(FormBox {
            title: pick(lang, "Đề nghị kỷ luật", "Propose discipline"),
            action: format!("{base}/discipline"),
            submit: pick(lang, "Ghi đề nghị", "Record the proposal"),
            fields: vec![
                Field::select("form", pick(lang, "Hình thức", "Form"), &None, forms_for(org_subject), None).required(),
                date_field("on", "Ngày đề nghị", "Proposed on", lang, today),
                text_area("reason", pick(lang, "Lý do", "Reason")),
            ],
        });
    }
    if matches!(v.role, CaseRole::Decider | CaseRole::Inspected) && d.is_some() && !decided {
        out.push(FormBox {
            title: pick(lang, "Bản kiểm điểm của đối tượng", "The inspected's self-review"),
            action: format!("{base}/self-review"),
            submit: pick(lang, "Ghi bản kiểm điểm", "Record"),
            fields: vec![
                date_field("on", "Ngày", "Date", lang, today),
                text_area("text", pick(lang, "Nội dung kiểm điểm", "Self-review")).required(),
            ],
        });
    }
    if v.role == CaseRole::Decider && d.is_some() && !decided {
        let mut fields = vec![
            Field::text("members", pick(lang, "Số thành viên của cấp quyết định", "Members of the body"), &None)
                .kind(Kind::Number)
                .required(),
        ];
        for p in Penalty::ALL.iter().filter(|p| p.check_subject(org_subject, today).is_ok()) {
            fields.push(Field::new(
                format!("votes_{}", p.code()),
                format!("{}: {}", pick(lang, "Số phiếu", "Votes"), p.label(lang)),
                Kind::Number,
                "",
            ));
        }
        fields.extend([
            Field::new("votes_none", pick(lang, "Số phiếu không kỷ luật", "Votes for no discipline"), Kind::Number, ""),
            Field::text("decision_number", pick(lang, "Số quyết định kỷ luật", "Decision number"), &None).required(),
            date_field("decided_on", "Ngày quyết định", "Decided on", lang, today),
            date_field("received_on", "Ngày đối tượng nhận quyết định", "Received on", lang, today),
        ]);
        out.push(FormBox {
            title: pick(lang, "Biểu quyết (phiếu kín) và quyết định kỷ luật", "Ballot and decision"),
            action: format!("{base}/discipline/decision"),
            submit: pick(lang, "Ghi quyết định", "Record the decision"),
            fields,
        });
    }
    if matches!(v.role, CaseRole::Decider | CaseRole::Inspected) && decided && v.appeal.is_none() {
        out.push(FormBox {
            title: pick(lang, "Khiếu nại kỷ luật", "Appeal"),
            action: format!("{base}/appeal"),
            submit: pick(lang, "Ghi khiếu nại", "File the appeal"),
            fields: vec![
                date_field("filed_on", "Ngày khiếu nại", "Filed on", lang, today),
                text_area("content", pick(lang, "Nội dung", "Content")),
            ],
        });
    }
    if v.role == CaseRole::AppealBody && v.appeal.as_ref().is_some_and(|a| a.outcome.is_none()) {
        out.push(FormBox {
            title: pick(lang, "Giải quyết khiếu nại", "Answer the appeal"),
            action: format!("{base}/appeal/answer"),
            submit: pick(lang, "Ghi kết quả", "Record the answer"),
            fields: vec![
                Field::select(
                    "outcome",
                    pick(lang, "Kết quả", "Outcome"),
                    &None,
                    choices(AppealOutcome::ALL, AppealOutcome::code, AppealOutcome::label, lang),
                    None,
                )
                .required(),
                Field::select(
                    "new_form",
                    pick(lang, "Hình thức mới (nếu giảm)", "New form (if reduced)"),
                    &None,
                    forms_for(org_subject),
                    Some("—"),
                ),
                Field::text("answer_number", pick(lang, "Số quyết định giải quyết", "Answer number"), &None).required(),
                date_field("answered_on", "Ngày giải quyết", "Answered on", lang, today),
            ],
        });
    }
    out
}

/// Which write a case form posts.
#[derive(Clone, Copy)]
enum CaseWrite {
    Step,
    Conclusion,
    Proposal,
    SelfReview,
    Ballot,
    Appeal,
    Answer,
}

async fn write_case(state: &State, ctx: &Ctx, id: Uuid, what: CaseWrite, form: &Posted) -> Result<(), Problem> {
    let style = DateStyle::Vietnamese;
    let v = &ctx.viewer;
    let invalid = Problem::Invalid;
    match what {
        CaseWrite::Step => state.app.take_step(v, id, &form.to::<StepFields>().parse(style).map_err(invalid)?).await,
        CaseWrite::Conclusion => {
            let mut f: ConclusionFields = form.to();
            f.recommendations = vec![RecommendationFields {
                content: form.get("recommendations.0.content").map(str::to_string),
                owner: form.get("recommendations.0.owner").map(str::to_string),
                deadline: form.get("recommendations.0.deadline").map(str::to_string),
            }];
            state.app.conclude_case(v, id, &f.parse(style).map_err(invalid)?).await.map(|_| ())
        }
        CaseWrite::Proposal => state
            .app
            .propose_discipline(v, id, &form.to::<ProposalFields>().parse(style).map_err(invalid)?)
            .await
            .map(|_| ()),
        CaseWrite::SelfReview => {
            state.app.record_self_review(v, id, &form.to::<SelfReviewFields>().parse(style).map_err(invalid)?).await
        }
        CaseWrite::Ballot => state
            .app
            .decide_discipline(v, id, &form.to::<BallotFields>().parse(style).map_err(invalid)?)
            .await
            .map(|_| ()),
        CaseWrite::Appeal => {
            state.app.file_appeal(v, id, &form.to::<AppealFields>().parse(style).map_err(invalid)?).await.map(|_| ())
        }
        CaseWrite::Answer => state
            .app
            .answer_appeal(v, id, &form.to::<AppealAnswerFields>().parse(style).map_err(invalid)?)
            .await
            .map(|_| ()),
    }
}

async fn post_case(
    state: State,
    ctx: Ctx,
    id: String,
    what: CaseWrite,
    form: Posted,
    index: usize,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    match write_case(&state, &ctx, id, what, &form).await {
        Ok(()) => Ok(Redirect::to(&case_href(id)).into_response()),
        Err(p) => {
            let view = state.app.case(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
            let forms = case_forms(&view, ctx.lang, ctx.today());
            let action_end = [
                "/steps",
                "/conclusion",
                "/discipline",
                "/self-review",
                "/discipline/decision",
                "/appeal",
                "/appeal/answer",
            ][index];
            let Some(fb) = forms.into_iter().find(|f| f.action.ends_with(action_end)) else {
                return Err(ctx.fail(p));
            };
            let mut fields = fb.fields;
            for f in &mut fields {
                if let Some(v) = form.get(&f.name) {
                    f.value = v.to_string();
                    for o in &mut f.options {
                        o.selected = o.value == v;
                    }
                }
            }
            refused(&ctx, p, fb.title, fb.action, fields, case_href(id))
        }
    }
}

macro_rules! case_post {
    ($name:ident, $what:expr, $i:expr) => {
        pub async fn $name(
            S(state): S<State>,
            ctx: Ctx,
            Path(id): Path<String>,
            form: Posted,
        ) -> Result<Response, UiError> {
            post_case(state, ctx, id, $what, form, $i).await
        }
    };
}

case_post!(step, CaseWrite::Step, 0);
case_post!(conclude, CaseWrite::Conclusion, 1);
case_post!(propose, CaseWrite::Proposal, 2);
case_post!(self_review, CaseWrite::SelfReview, 3);
case_post!(ballot, CaseWrite::Ballot, 4);
case_post!(appeal, CaseWrite::Appeal, 5);
case_post!(answer, CaseWrite::Answer, 6);

/// `POST /inspection/recommendations/{id}`: mark done.
pub async fn recommendation(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let f: DoneFields = form.to();
    let (done, note) = f.parse(DateStyle::Vietnamese).map_err(|v| ctx.fail(Problem::Invalid(v)))?;
    state.app.mark_recommendation(&ctx.viewer, id, done, &note).await.map_err(|p| ctx.fail(p))?;
    let back = form.get("next").filter(|n| n.starts_with("/inspection/")).unwrap_or("/");
    Ok(Redirect::to(back).into_response())
}
