//! `/orgs/{id}/inspection`: what waits, the programmes, the year's cases and the forms that
//! decide a case and write a programme; their posts; the programme's `.xlsx`.

use super::programme_form::{programme_fields, programme_of_form};
use super::{FormBox, Table, WorkGroup, case_href, case_rows, children, choices, people, pick, refused};
use crate::State;
use crate::input::DateStyle;
use crate::inspection_input::{CaseFields, ProgrammeFields};
use crate::ui::form::{Field, Kind};
use crate::ui::page::{Chrome, Ctx, Posted, UiError, parse_id};
use crate::ui::text::Texts;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State as S};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::date::format_vn;
use chibo_access::domain::inspection::{CaseKind, Step};
use chibo_access::{CaseLine, Lang, Problem, ProgrammeView};
use uuid::Uuid;

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
    /// Each programme: its title, the link to edit it, its items.
    programmes: Vec<(String, String, Table)>,
    cases: Table,
    forms: Vec<FormBox>,
    labels: Vec<String>,
}

/// The decision form's fields.
async fn case_fields(state: &State, ctx: &Ctx, org: Uuid, f: &CaseFields) -> Vec<Field> {
    let lang = ctx.lang;
    let people = people(state, ctx, org).await;
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
            children(state, ctx, org).await,
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

/// The columns of a programme's items.
pub(super) const PROGRAMME_HEADERS: [(&str, &str); 4] =
    [("Đối tượng", "Subject"), ("Nội dung", "Content"), ("Tháng", "Month"), ("Tình hình", "Status")];

/// Whether a programme item is carried out by a case yet.
pub(super) fn item_state(started: bool, lang: Lang) -> String {
    if started { pick(lang, "Đã triển khai", "Started") } else { pick(lang, "Chưa triển khai", "Not started") }
}

/// A programme's items as a table, each carried out linking to its case.
pub(super) fn programme_table(p: &ProgrammeView, lang: Lang) -> Table {
    Table::of(lang, &PROGRAMME_HEADERS, &p.items, |(i, name)| {
        (
            i.case_id.map(case_href),
            vec![name.clone(), i.content.clone(), i.planned_month.to_string(), item_state(i.case_id.is_some(), lang)],
        )
    })
}

/// `GET /orgs/{id}/inspection`: what waits, the programmes, the cases and the forms.
pub async fn hub(S(state): S<State>, ctx: Ctx, Path(id): Path<String>) -> Result<HubPage, UiError> {
    let id = parse_id(&ctx, &id)?;
    let lang = ctx.lang;
    let (org, work) = state.app.inspection_work(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let (_, programmes) = state.app.programmes(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    let year = ctx.today().year();
    let (_, cases) = state.app.cases_of(&ctx.viewer, id, Some(year)).await.map_err(|p| ctx.fail(p))?;
    // A line of a case: its number, what waits on it and the day.
    let line = |l: &CaseLine, what: &str, on: String| {
        (case_href(l.case.id), format!("{} · {what} · {on}", l.case.decision_number))
    };
    let work = vec![
        WorkGroup::of(
            pick(lang, "Nội dung chương trình chưa triển khai", "Programme items not started"),
            &work.items_not_started,
            |(_, i, n)| {
                (
                    format!("/orgs/{id}/inspection#programmes"),
                    format!("{n} — {} ({} {})", i.content, pick(lang, "tháng", "month"), i.planned_month),
                )
            },
        ),
        WorkGroup::of(pick(lang, "Bước quá hạn", "Steps past their deadline"), &work.steps_overdue, |(l, s)| {
            let step = Step::parse(&s.step).map(|x| x.label(lang)).unwrap_or("");
            line(l, step, s.deadline.map(format_vn).unwrap_or_default())
        }),
        WorkGroup::of(
            pick(lang, "Kiến nghị quá hạn", "Recommendations overdue"),
            &work.recommendations_overdue,
            |(l, r)| line(l, &r.content, format_vn(r.deadline)),
        ),
        WorkGroup::of(
            pick(lang, "Sắp hết thời hiệu xử lý kỷ luật", "Limitation periods ending"),
            &work.limitation_soon,
            |(l, on)| line(l, &l.subject_name, format_vn(*on)),
        ),
        WorkGroup::of(
            pick(lang, "Khiếu nại chờ giải quyết", "Appeals waiting"),
            &work.appeals_waiting,
            |(l, a)| line(l, &l.subject_name, format_vn(a.answer_by)),
        ),
    ];
    let programmes = programmes
        .iter()
        .map(|p| {
            let title = format!("{} ({})", p.programme.title, p.programme.year);
            (title, format!("/orgs/{id}/inspection/programmes/{}/edit", p.programme.id), programme_table(p, lang))
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
            fields: programme_fields(&state, &ctx, id, &prog_defaults, 0).await,
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
            pick(lang, "Tải chương trình năm (.xlsx)", "Programmes of the year (.xlsx)"),
            pick(lang, "Không có", "None"),
            pick(lang, "In chương trình năm", "Print the programme of"),
            pick(lang, "Sửa chương trình", "Edit the programme"),
        ],
    })
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
        Ok(c) => Ok(Redirect::to(&case_href(c.id)).into_response()),
        Err(p) => {
            let fields = case_fields(&state, &ctx, id, &f).await;
            let heading = pick(ctx.lang, "Quyết định kiểm tra, giám sát", "Decide a case");
            refused(&ctx, p, heading, format!("/orgs/{id}/inspection/cases"), fields, format!("/orgs/{id}/inspection"))
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
            let fields = programme_fields(&state, &ctx, id, &f, 0).await;
            let heading = pick(ctx.lang, "Lập chương trình kiểm tra, giám sát", "Write a programme");
            let action = format!("/orgs/{id}/inspection/programmes");
            refused(&ctx, p, heading, action, fields, format!("/orgs/{id}/inspection"))
        }
    }
}
