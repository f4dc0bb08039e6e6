//! Inspection and supervision pages: an organisation's work (`/orgs/{id}/inspection`: what
//! waits, its programmes, its cases, the forms that decide a case and write a programme), a
//! case (`/inspection/cases/{id}`: its steps, conclusion, recommendations, discipline and
//! appeal with the forms its viewer may use), the figures with coverage and drill-down
//! (`/orgs/{id}/inspection-figures`), and the `.xlsx` of the programme and the figures. A form
//! refused is shown again alone with its errors (the one-form page).

use super::form::{Field, FormPage, Kind, place_errors};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id};
use super::text::Texts;
use crate::State;
use crate::api::inspection::period_of;
use crate::attachment::{XLSX, attachment};
use crate::input::DateStyle;
use crate::input::DoneFields;
use crate::inspection_input::{
    AppealAnswerFields, AppealFields, BallotFields, CaseFields, ConclusionFields, ProgrammeFields, ProgrammeItemFields,
    ProposalFields, RecommendationFields, SelfReviewFields, StepFields,
};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::inspection::{AppealOutcome, CaseKind, Finding, GraveKind, Penalty, Step, steps_of};
use chibo_access::{CaseLine, CaseRole, CaseView, InspectionFigures, Lang, PageRequest, Problem, Validation};
use serde::Deserialize;
use uuid::Uuid;

/// A form drawn inline on a page.
pub struct FormBox {
    pub title: String,
    pub action: String,
    pub submit: String,
    pub fields: Vec<Field>,
}

/// A table of texts, with an optional link on the first cell of each row.
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(Option<String>, Vec<String>)>,
}

/// A titled list of lines with links.
pub struct WorkGroup {
    pub title: String,
    pub lines: Vec<(String, String)>,
}

fn pick(lang: Lang, vi: &'static str, en: &'static str) -> String {
    lang.pick(vi, en).to_string()
}

fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T, Lang) -> &'static str,
    lang: Lang,
) -> Vec<(String, String)> {
    all.iter().map(|x| (code(*x).to_string(), label(*x, lang).to_string())).collect()
}

fn result_label(code: &str, lang: Lang) -> String {
    Finding::parse(code).map_or_else(|| pick(lang, "Đang tiến hành", "Open"), |f| f.label(lang).to_string())
}

fn case_rows(lines: &[CaseLine], lang: Lang) -> Table {
    Table {
        headers: vec![
            pick(lang, "Số quyết định", "Decision"),
            pick(lang, "Ngày", "Date"),
            pick(lang, "Loại", "Kind"),
            pick(lang, "Đối tượng", "Subject"),
            pick(lang, "Kết quả", "Result"),
        ],
        rows: lines
            .iter()
            .map(|l| {
                let c = &l.case;
                (
                    Some(format!("/inspection/cases/{}", c.id)),
                    vec![
                        c.decision_number.clone(),
                        format_vn(c.decided_on),
                        CaseKind::parse(&c.kind).map(|k| k.label(lang).to_string()).unwrap_or_default(),
                        l.subject_name.clone(),
                        result_label(&c.result, lang),
                    ],
                )
            })
            .collect(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "inspection.html")]
pub struct HubPage {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    name: String,
    heading: String,
    year: i32,
    work: Vec<WorkGroup>,
    programmes: Vec<(String, Table)>,
    cases: Table,
    forms: Vec<FormBox>,
    labels: Vec<String>,
}

/// The decision form's fields.
async fn case_fields(state: &State, ctx: &Ctx, org: Uuid, f: &CaseFields) -> Vec<Field> {
    let lang = ctx.lang;
    let orgs: Vec<(String, String)> = state
        .app
        .org_children(&ctx.viewer, org, false)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|o| (o.id.to_string(), o.input.name))
        .collect();
    let req = PageRequest { search: None, status: None, after: None, limit: 200 };
    let people: Vec<(String, String)> = state
        .app
        .members_page(&ctx.viewer, org, &req)
        .await
        .map(|p| p.items.into_iter().map(|m| (m.id.to_string(), m.full_name)).collect())
        .unwrap_or_default();
    vec![
        Field::select(
            "kind",
            pick(lang, "Loại", "Kind"),
            &f.kind,
            choices(CaseKind::ALL, CaseKind::code, CaseKind::label, lang),
            None,
        )
        .required(),
        Field::select(
            "subject_org_id",
            pick(lang, "Tổ chức được kiểm tra, giám sát", "Organisation"),
            &f.subject_org_id,
            orgs,
            Some("—"),
        ),
        Field::select(
            "subject_member_id",
            pick(lang, "Hoặc đảng viên", "Or a member"),
            &f.subject_member_id,
            people,
            Some("—"),
        ),
        Field::checkbox(
            "by_inspection",
            pick(lang, "Do ủy ban kiểm tra quyết định", "Decided by the inspection committee"),
            crate::input::truthy(&f.by_inspection),
        ),
        Field::text("decision_number", pick(lang, "Số quyết định", "Decision number"), &f.decision_number).required(),
        Field::date("decided_on", pick(lang, "Ngày quyết định", "Decision date"), &f.decided_on).required(),
        Field::date("due_on", pick(lang, "Thời hạn kết luận", "Due date"), &f.due_on).required(),
        Field::text("team", pick(lang, "Đoàn, tổ kiểm tra", "Team"), &f.team),
        Field::new("content", pick(lang, "Nội dung", "Content"), Kind::TextArea, f.content.as_deref().unwrap_or("")),
        Field::hidden("item_id", f.item_id.as_deref().unwrap_or("")),
    ]
}

const ITEM_ROWS: usize = 4;

async fn programme_fields(state: &State, ctx: &Ctx, org: Uuid, f: &ProgrammeFields) -> Vec<Field> {
    let lang = ctx.lang;
    let orgs: Vec<(String, String)> = state
        .app
        .org_children(&ctx.viewer, org, false)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|o| (o.id.to_string(), o.input.name))
        .collect();
    let kinds = vec![
        ("inspection".to_string(), pick(lang, "Kiểm tra", "Inspection")),
        ("supervision".to_string(), pick(lang, "Giám sát", "Supervision")),
    ];
    let mut fields = vec![
        Field::text("title", pick(lang, "Tên chương trình", "Title"), &f.title).required(),
        Field::text("year", pick(lang, "Năm", "Year"), &f.year).kind(Kind::Number).required(),
        Field::select("kind", pick(lang, "Loại", "Kind"), &f.kind, kinds, None),
    ];
    for i in 0..ITEM_ROWS {
        let it = f.items.get(i).cloned().unwrap_or_default();
        fields.push(Field::select(
            format!("items.{i}.subject_org_id"),
            format!("{} {}", pick(lang, "Đối tượng", "Subject"), i + 1),
            &it.subject_org_id,
            orgs.clone(),
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

fn programme_of_form(form: &Posted) -> ProgrammeFields {
    let mut f: ProgrammeFields = form.to();
    f.items = (0..ITEM_ROWS)
        .map(|i| ProgrammeItemFields {
            subject_org_id: form.get(&format!("items.{i}.subject_org_id")).map(str::to_string),
            subject_member_id: None,
            content: form.get(&format!("items.{i}.content")).map(str::to_string),
            planned_month: form.get(&format!("items.{i}.planned_month")).map(str::to_string),
        })
        .filter(|it| it.subject_org_id.as_deref().is_some_and(|s| !s.is_empty()))
        .collect();
    f
}

/// `GET /orgs/{id}/inspection`: what waits, the programmes, the cases and the forms.
pub async fn hub(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<HubPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let (org, work) = state.app.inspection_work(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let (_, programmes) = state.app.programmes(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let year = ctx.today().year();
    let (_, cases) = state.app.cases_of(&ctx.viewer, id, Some(year)).await.map_err(|p| ctx.fail(p))?;
    let link = |l: &CaseLine| format!("/inspection/cases/{}", l.case.id);
    let work = vec![
        WorkGroup {
            title: pick(lang, "Nội dung chương trình chưa triển khai", "Programme items not started"),
            lines: work
                .items_not_started
                .iter()
                .map(|(_, i, n)| {
                    (
                        format!("/orgs/{id}/inspection#programmes"),
                        format!("{n} — {} ({} {})", i.content, pick(lang, "tháng", "month"), i.planned_month),
                    )
                })
                .collect(),
        },
        WorkGroup {
            title: pick(lang, "Bước quá hạn", "Steps past their deadline"),
            lines: work
                .steps_overdue
                .iter()
                .map(|(l, s)| {
                    (
                        link(l),
                        format!(
                            "{} · {} · {}",
                            l.case.decision_number,
                            Step::parse(&s.step).map(|x| x.label(lang)).unwrap_or(""),
                            s.deadline.map(format_vn).unwrap_or_default()
                        ),
                    )
                })
                .collect(),
        },
        WorkGroup {
            title: pick(lang, "Kiến nghị quá hạn", "Recommendations overdue"),
            lines: work
                .recommendations_overdue
                .iter()
                .map(|(l, r)| {
                    (link(l), format!("{} · {} · {}", l.case.decision_number, r.content, format_vn(r.deadline)))
                })
                .collect(),
        },
        WorkGroup {
            title: pick(lang, "Sắp hết thời hiệu xử lý kỷ luật", "Limitation periods ending"),
            lines: work
                .limitation_soon
                .iter()
                .map(|(l, on)| {
                    (link(l), format!("{} · {} · {}", l.case.decision_number, l.subject_name, format_vn(*on)))
                })
                .collect(),
        },
        WorkGroup {
            title: pick(lang, "Khiếu nại chờ giải quyết", "Appeals waiting"),
            lines: work
                .appeals_waiting
                .iter()
                .map(|(l, a)| {
                    (link(l), format!("{} · {} · {}", l.case.decision_number, l.subject_name, format_vn(a.answer_by)))
                })
                .collect(),
        },
    ];
    let programmes = programmes
        .iter()
        .map(|p| {
            let t = Table {
                headers: vec![
                    pick(lang, "Đối tượng", "Subject"),
                    pick(lang, "Nội dung", "Content"),
                    pick(lang, "Tháng", "Month"),
                    pick(lang, "Tình hình", "Status"),
                ],
                rows: p
                    .items
                    .iter()
                    .map(|(i, name)| {
                        let state = if i.case_id.is_some() {
                            pick(lang, "Đã triển khai", "Started")
                        } else {
                            pick(lang, "Chưa triển khai", "Not started")
                        };
                        (
                            i.case_id.map(|c| format!("/inspection/cases/{c}")),
                            vec![name.clone(), i.content.clone(), i.planned_month.to_string(), state],
                        )
                    })
                    .collect(),
            };
            (format!("{} ({})", p.programme.title, p.programme.year), t)
        })
        .collect();
    let d = |on: time::Date| Some(format_vn(on));
    let today = ctx.today();
    let case_defaults = CaseFields {
        kind: Some("inspect_org".into()),
        decided_on: d(today),
        due_on: d(today + time::Duration::days(45)),
        ..CaseFields::default()
    };
    let prog_defaults =
        ProgrammeFields { year: Some(year.to_string()), kind: Some("inspection".into()), ..ProgrammeFields::default() };
    let forms = vec![
        FormBox {
            title: pick(lang, "Quyết định kiểm tra, giám sát", "Decide a case"),
            action: format!("/orgs/{id}/inspection/cases"),
            submit: pick(lang, "Ghi quyết định", "Record the decision"),
            fields: case_fields(&state, &ctx, id, &case_defaults).await,
        },
        FormBox {
            title: pick(lang, "Lập chương trình kiểm tra, giám sát", "Write a programme"),
            action: format!("/orgs/{id}/inspection/programmes"),
            submit: pick(lang, "Lưu chương trình", "Save the programme"),
            fields: programme_fields(&state, &ctx, id, &prog_defaults).await,
        },
    ];
    let heading = pick(lang, "Công tác kiểm tra, giám sát", "Inspection and supervision");
    Ok(HubPage {
        c: ctx.chrome(format!("{heading} · {}", org.input.name)),
        t: ctx.t,
        id,
        name: org.input.name,
        heading,
        year,
        work,
        programmes,
        cases: case_rows(&cases, lang),
        forms,
        labels: vec![
            pick(lang, "Việc cần làm", "What waits"),
            pick(lang, "Chương trình", "Programmes"),
            pick(lang, "Cuộc kiểm tra, giám sát năm", "Cases of"),
            pick(lang, "Số liệu năm", "Figures of the year"),
            pick(lang, "Số liệu nhiệm kỳ", "Figures of the term"),
            pick(lang, "Tải chương trình (.xlsx)", "Programme (.xlsx)"),
            pick(lang, "Không có", "None"),
        ],
    })
}

/// A refused form shown again alone with its errors.
fn form_again(
    ctx: &Ctx,
    heading: String,
    action: String,
    mut fields: Vec<Field>,
    errors: &Validation,
    submit: &'static str,
    cancel: String,
) -> FormPage {
    let general = place_errors(&mut fields, errors, ctx.lang);
    FormPage {
        c: ctx.chrome(heading.clone()),
        t: ctx.t,
        heading,
        intro: String::new(),
        action,
        fields,
        general,
        submit,
        cancel,
    }
}

fn refused(ctx: &Ctx, p: Problem, page: impl FnOnce(&Validation) -> FormPage) -> Result<Response, UiError> {
    let (errors, status) = form_errors(ctx, p)?;
    Ok((status, page(&errors)).into_response())
}

/// `POST /orgs/{id}/inspection/cases`: decide a case.
pub async fn decide(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let f: CaseFields = form.to();
    let outcome = match f.parse(DateStyle::Vietnamese) {
        Ok(input) => state.app.decide_case(&ctx.viewer, id, &input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(c) => Ok(Redirect::to(&format!("/inspection/cases/{}", c.id)).into_response()),
        Err(p) => {
            let fields = case_fields(&state, &ctx, id, &f).await;
            refused(&ctx, p, |e| {
                form_again(
                    &ctx,
                    pick(ctx.lang, "Quyết định kiểm tra, giám sát", "Decide a case"),
                    format!("/orgs/{id}/inspection/cases"),
                    fields,
                    e,
                    ctx.t.save,
                    format!("/orgs/{id}/inspection"),
                )
            })
        }
    }
}

/// `POST /orgs/{id}/inspection/programmes`: write a programme.
pub async fn programme(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    form: Posted,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    let f = programme_of_form(&form);
    let outcome = match f.parse() {
        Ok(input) => state.app.create_programme(&ctx.viewer, id, &input).await,
        Err(v) => Err(Problem::Invalid(v)),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{id}/inspection#programmes")).into_response()),
        Err(p) => {
            let fields = programme_fields(&state, &ctx, id, &f).await;
            refused(&ctx, p, |e| {
                form_again(
                    &ctx,
                    pick(ctx.lang, "Lập chương trình kiểm tra, giám sát", "Write a programme"),
                    format!("/orgs/{id}/inspection/programmes"),
                    fields,
                    e,
                    ctx.t.save,
                    format!("/orgs/{id}/inspection"),
                )
            })
        }
    }
}

/// `GET /orgs/{id}/inspection/programmes.xlsx`: the programmes with their items.
pub async fn programme_xlsx(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let (_, list) = state.app.programmes(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let rows = list
        .iter()
        .flat_map(|p| {
            p.items.iter().map(move |(i, name)| {
                vec![
                    p.programme.year.to_string(),
                    p.programme.title.clone(),
                    name.clone(),
                    i.content.clone(),
                    i.planned_month.to_string(),
                    if i.case_id.is_some() {
                        pick(lang, "Đã triển khai", "Started")
                    } else {
                        pick(lang, "Chưa triển khai", "Not started")
                    },
                ]
            })
        })
        .collect();
    let sheet = chibo_access::ListSheet {
        what: "inspection.programme.export",
        title: ("CHƯƠNG TRÌNH KIỂM TRA, GIÁM SÁT", "INSPECTION AND SUPERVISION PROGRAMME"),
        detail: String::new(),
        headers: vec![
            pick(lang, "Năm", "Year"),
            pick(lang, "Chương trình", "Programme"),
            pick(lang, "Đối tượng", "Subject"),
            pick(lang, "Nội dung", "Content"),
            pick(lang, "Tháng", "Month"),
            pick(lang, "Tình hình", "Status"),
        ],
        rows,
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Chương trình kiểm tra, giám sát.xlsx", XLSX, bytes))
}

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
}

fn date_field(name: &'static str, vi: &'static str, en: &'static str, lang: Lang, today: time::Date) -> Field {
    Field::date(name, pick(lang, vi, en), &Some(format_vn(today))).required()
}

fn text_area(name: &'static str, label: String) -> Field {
    Field::new(name, label, Kind::TextArea, "")
}

/// The forms the viewer may use on a case, as it stands.
fn case_forms(v: &CaseView, lang: Lang, today: time::Date) -> Vec<FormBox> {
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

/// `GET /inspection/cases/{id}`.
pub async fn case(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<CasePage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let v = state.app.case(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(case_page(&ctx, &v))
}

fn case_page(ctx: &Ctx, v: &CaseView) -> CasePage {
    let lang = ctx.lang;
    let c = &v.line.case;
    let kind = CaseKind::parse(&c.kind).map(|k| k.label(lang).to_string()).unwrap_or_default();
    let opt = |d: Option<time::Date>| d.map(format_vn).unwrap_or_default();
    let facts = vec![
        (pick(lang, "Số quyết định", "Decision"), format!("{} ({})", c.decision_number, format_vn(c.decided_on))),
        (pick(lang, "Đối tượng", "Subject"), v.line.subject_name.clone()),
        (
            pick(lang, "Cấp quyết định", "Decided by"),
            if c.by_inspection {
                pick(lang, "Ủy ban kiểm tra", "Inspection committee")
            } else {
                pick(lang, "Cấp ủy", "Committee")
            },
        ),
        (pick(lang, "Đoàn, tổ", "Team"), c.team.clone()),
        (pick(lang, "Nội dung", "Content"), c.content.clone()),
        (pick(lang, "Thời hạn", "Due"), format_vn(c.due_on)),
        (pick(lang, "Kết quả", "Result"), result_label(&c.result, lang)),
    ];
    let steps = Table {
        headers: vec![
            pick(lang, "Bước", "Step"),
            pick(lang, "Hạn", "Deadline"),
            pick(lang, "Ngày thực hiện", "Taken on"),
            pick(lang, "Ghi chú", "Note"),
        ],
        rows: v
            .steps
            .iter()
            .map(|s| {
                (
                    None,
                    vec![
                        Step::parse(&s.step).map(|x| x.label(lang).to_string()).unwrap_or_default(),
                        opt(s.deadline),
                        opt(s.taken_on),
                        s.note.clone(),
                    ],
                )
            })
            .collect(),
    };
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
    let today = ctx.today();
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
    let label = |code: &Option<String>| {
        code.as_deref().and_then(Penalty::parse).map(|p| p.label(lang).to_string()).unwrap_or_default()
    };
    let mut discipline = Vec::new();
    if let Some(d) = &v.discipline {
        discipline = vec![
            (
                pick(lang, "Đề nghị", "Proposed"),
                format!("{} ({})", label(&Some(d.proposed_form.clone())), format_vn(d.proposed_on)),
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
                    label(&d.decided_form)
                ),
            ),
            (pick(lang, "Hình thức đang có hiệu lực", "Form in force"), label(&d.form_in_force)),
        ];
    }
    if let Some(a) = &v.appeal {
        discipline.push((
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
            discipline.push((
                pick(lang, "Kết quả giải quyết", "Outcome"),
                format!("{} {} {}", o.label(lang), a.answer_number.clone().unwrap_or_default(), opt(a.answered_on)),
            ));
        }
    }
    let heading = format!("{kind} · {}", c.decision_number);
    CasePage {
        c: ctx.chrome(heading.clone()),
        t: ctx.t,
        heading,
        decider_href: format!("/orgs/{}/inspection", c.org_id),
        decider: v.line.decider_name.clone(),
        facts,
        steps,
        conclusion,
        recommendations,
        discipline,
        forms: case_forms(v, lang, today),
        labels: vec![
            pick(lang, "Các bước", "Steps"),
            pick(lang, "Kết luận", "Conclusion"),
            pick(lang, "Kiến nghị", "Recommendations"),
            pick(lang, "Kỷ luật", "Discipline"),
        ],
    }
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
        Ok(()) => Ok(Redirect::to(&format!("/inspection/cases/{id}")).into_response()),
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
            refused(&ctx, p, |e| {
                form_again(&ctx, fb.title, fb.action, fields, e, ctx.t.save, format!("/inspection/cases/{id}"))
            })
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

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    pub period: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "inspection_figures.html")]
pub struct FiguresPage {
    c: Chrome,
    t: &'static Texts,
    id: Uuid,
    name: String,
    heading: String,
    periods: Vec<(String, String, bool)>,
    summary: Vec<(String, String)>,
    tables: Vec<(String, Table)>,
    xlsx: String,
    labels: Vec<String>,
}

fn coverage_text(c: chibo_access::domain::inspection::Coverage) -> String {
    format!("{}/{} ({}%)", c.covered, c.owed, c.percent_text().unwrap_or_else(|| "—".into()))
}

/// The figures' tables: kinds, findings, disciplined, the organisations under it.
fn figure_tables(f: &InspectionFigures, lang: Lang) -> Vec<(String, Table)> {
    let kinds = Table {
        headers: vec![
            pick(lang, "Loại", "Kind"),
            pick(lang, "Tổ chức", "Organisations"),
            pick(lang, "Đảng viên", "Members"),
            pick(lang, "Đang tiến hành", "Open"),
            pick(lang, "Đã kết luận", "Concluded"),
        ],
        rows: f
            .kinds
            .iter()
            .map(|k| {
                (
                    None,
                    vec![
                        CaseKind::parse(&k.kind).map(|x| x.label(lang).to_string()).unwrap_or_default(),
                        k.orgs.to_string(),
                        k.members.to_string(),
                        k.open.to_string(),
                        k.concluded.to_string(),
                    ],
                )
            })
            .collect(),
    };
    let coded = |v: &[(String, i64)], finding: bool| Table {
        headers: vec![pick(lang, "Nội dung", "Item"), pick(lang, "Số lượng", "Count")],
        rows: v
            .iter()
            .map(|(code, n)| {
                let label = if finding {
                    Finding::parse(code).map(|x| x.label(lang))
                } else {
                    Penalty::parse(code).map(|x| x.label(lang))
                };
                (None, vec![label.unwrap_or("").to_string(), n.to_string()])
            })
            .collect(),
    };
    let children = Table {
        headers: vec![
            pick(lang, "Tổ chức trực thuộc", "Organisation under"),
            pick(lang, "Số cuộc", "Cases"),
            pick(lang, "Được cấp trên kiểm tra, giám sát", "Covered from above"),
            pick(lang, "Tỷ lệ bao phủ của cấp dưới", "Its own coverage"),
        ],
        rows: f
            .children
            .iter()
            .map(|c| {
                let covered =
                    if c.covered_by_parent { pick(lang, "Có", "Yes") } else { pick(lang, "Chưa", "Not yet") };
                (
                    Some(format!("/orgs/{}/inspection-figures?period={}", c.org.id, f.period)),
                    vec![c.org.input.name.clone(), c.cases.to_string(), covered, coverage_text(c.coverage)],
                )
            })
            .collect(),
    };
    vec![
        (pick(lang, "Theo loại", "By kind"), kinds),
        (pick(lang, "Kết quả kết luận", "Findings"), coded(&f.findings, true)),
        (pick(lang, "Đảng viên bị kỷ luật", "Members disciplined"), coded(&f.disciplined_members, false)),
        (pick(lang, "Tổ chức đảng bị kỷ luật", "Organisations disciplined"), coded(&f.disciplined_orgs, false)),
        (pick(lang, "Tổ chức trực thuộc", "Organisations under"), children),
    ]
}

fn period_label(key: &str, lang: Lang) -> String {
    match key.split_once(':') {
        Some(("year", y)) => format!("{} {y}", pick(lang, "Năm", "Year")),
        Some(("term", from)) => format!(
            "{} {}",
            pick(lang, "Nhiệm kỳ từ", "Term from"),
            chibo_access::domain::date::parse_iso(from).map(format_vn).unwrap_or_default()
        ),
        _ => key.to_string(),
    }
}

/// `GET /orgs/{id}/inspection-figures?period=`.
pub async fn figures(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<FiguresPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let today = ctx.today();
    let period = period_of(q.period.as_deref(), today);
    let f = state.app.inspection_figures(&ctx.viewer, id, &period).await.map_err(|p| ctx.fail(p))?;
    let term = chibo_access::inspection_period(None, today);
    let mut keys: Vec<String> = (today.year() - 2..=today.year()).rev().map(|y| format!("year:{y}")).collect();
    keys.push(term);
    let periods = keys.iter().map(|k| (k.clone(), period_label(k, lang), *k == period)).collect();
    let summary = vec![
        (pick(lang, "Tổng số cuộc", "Cases"), f.total_cases.to_string()),
        (
            pick(lang, "Tổ chức trực thuộc được kiểm tra, giám sát", "Own subordinates covered"),
            coverage_text(f.coverage_own),
        ),
        (pick(lang, "Tỷ lệ bao phủ toàn đảng bộ", "Coverage of the whole subtree"), coverage_text(f.coverage_subtree)),
    ];
    let heading =
        format!("{}: {}", pick(lang, "Số liệu kiểm tra, giám sát", "Inspection figures"), period_label(&period, lang));
    Ok(FiguresPage {
        c: ctx.chrome(heading.clone()),
        t: ctx.t,
        id,
        name: f.org.input.name.clone(),
        heading,
        xlsx: format!("/orgs/{id}/inspection-figures.xlsx?period={period}"),
        periods,
        summary,
        tables: figure_tables(&f, lang),
        labels: vec![
            pick(lang, "Kỳ", "Period"),
            pick(lang, "Xem", "Show"),
            pick(lang, "Tải (.xlsx)", "Download (.xlsx)"),
            pick(lang, "Không có", "None"),
            pick(lang, "Công tác kiểm tra", "Inspection"),
        ],
    })
}

/// `GET /orgs/{id}/inspection-figures.xlsx?period=`: the same tables, one after the other.
pub async fn figures_xlsx(
    S(state): S<State>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let period = period_of(q.period.as_deref(), ctx.today());
    let f = state.app.inspection_figures(&ctx.viewer, id, &period).await.map_err(|p| ctx.fail(p))?;
    let mut rows = vec![
        vec![
            pick(lang, "Tổng số cuộc", "Cases"),
            f.total_cases.to_string(),
            String::new(),
            String::new(),
            String::new(),
        ],
        vec![
            pick(lang, "Tổ chức trực thuộc được kiểm tra, giám sát", "Own subordinates covered"),
            coverage_text(f.coverage_own),
            String::new(),
            String::new(),
            String::new(),
        ],
        vec![
            pick(lang, "Tỷ lệ bao phủ toàn đảng bộ", "Coverage of the whole subtree"),
            coverage_text(f.coverage_subtree),
            String::new(),
            String::new(),
            String::new(),
        ],
    ];
    for (title, t) in figure_tables(&f, lang) {
        rows.push(vec![title, String::new(), String::new(), String::new(), String::new()]);
        rows.push(t.headers.iter().cloned().chain(std::iter::repeat(String::new())).take(5).collect());
        for (_, r) in t.rows {
            rows.push(r.into_iter().chain(std::iter::repeat(String::new())).take(5).collect());
        }
    }
    let sheet = chibo_access::ListSheet {
        what: "inspection.figures.export",
        title: ("SỐ LIỆU KIỂM TRA, GIÁM SÁT", "INSPECTION AND SUPERVISION FIGURES"),
        detail: period_label(&period, lang),
        headers: vec![
            pick(lang, "Nội dung", "Item"),
            pick(lang, "Số liệu", "Figure"),
            String::new(),
            String::new(),
            String::new(),
        ],
        rows,
    };
    let bytes = state.app.list_xlsx(&ctx.viewer, id, sheet).await.map_err(|p| ctx.fail(p))?;
    Ok(attachment("Số liệu kiểm tra, giám sát.xlsx", XLSX, bytes))
}
