//! The server-rendered interface (askama templates + htmx), Vietnamese first.
//!
//! Pages are whole HTML documents that work without JavaScript; htmx (vendored, served from
//! `/static`) fetches fragments under `/ui/…` to open the tree, search, and page through
//! member lists. Every state-changing form carries the session's CSRF token.

mod accounts;
mod admin;
mod asof;
mod assets;
mod auth;
mod candidates;
mod chart;
mod form;
mod home;
mod import;
mod import_progress;
mod inspection;
mod life;
mod list_exports;
mod meeting_forms;
mod meeting_reports;
mod meetings;
mod member_list;
mod members;
mod missed;
mod org_forms;
mod org_history;
mod orgs;
mod page;
mod report_list;
mod report_trend;
mod reports;
mod restructure;
mod review;
mod review_forms;
mod review_home;
mod review_print;
mod second_factor;
mod text;
mod tree;
mod upcoming;
mod view;
mod worklists;

use crate::State;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub use page::qs;
pub use text::{Texts, texts};

pub fn routes() -> Router<State> {
    Router::new()
        .route("/static/htmx.min.js", get(assets::htmx))
        .route("/static/app.css", get(assets::css))
        .route("/static/app.js", get(assets::js))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/login/code", post(second_factor::login_code))
        .route("/account/2fa", get(second_factor::page).post(second_factor::confirm))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::set_lang))
        .route("/account", get(auth::account))
        .route("/account/password", post(auth::change_password))
        .route("/", get(home::home))
        .route("/tree", get(home::tree))
        .route("/ui/waiting", get(home::waiting_badge))
        .route("/ui/orgs/search", get(tree::search_fragment))
        .route("/ui/orgs/{id}/children", get(tree::children))
        .route("/ui/orgs/{id}/members", get(orgs::members_fragment))
        .route("/ui/orgs/{id}/pick", get(org_forms::pick))
        .route("/ui/communes", get(org_forms::communes))
        .route("/ui/cells", get(life::cell_options))
        .route("/orgs", post(org_forms::create_org))
        .route("/orgs/new", get(org_forms::new_org))
        .route("/orgs/{id}", get(orgs::org_page).post(org_forms::update_org))
        .route("/orgs/{id}/edit", get(org_forms::edit_org))
        .route("/orgs/{id}/move", get(org_forms::move_form).post(org_forms::move_org))
        .route("/orgs/{id}/restructure", get(restructure::hub))
        .route("/orgs/{id}/rename", get(restructure::rename_page).post(restructure::rename))
        .route("/orgs/{id}/dissolve", get(restructure::dissolve_page).post(restructure::dissolve))
        .route("/orgs/{id}/merge", get(restructure::merge_form).post(restructure::merge))
        .route("/orgs/{id}/split", get(restructure::split_form).post(restructure::split))
        .route("/orgs/{id}/as-of", get(asof::as_of))
        .route("/orgs/{id}/inspection", get(inspection::hub))
        .route("/orgs/{id}/inspection/cases", post(inspection::decide))
        .route("/orgs/{id}/inspection/programmes", post(inspection::programme))
        .route("/orgs/{id}/inspection/programmes.xlsx", get(inspection::programme_xlsx))
        .route("/orgs/{id}/inspection/programmes/print", get(inspection::programme_print))
        .route("/orgs/{id}/inspection/programmes/{pid}/edit", get(inspection::programme_edit_page))
        .route("/orgs/{id}/inspection/programmes/{pid}", post(inspection::programme_edit))
        .route("/inspection/cases/{id}/print", get(inspection::conclusion_print))
        .route("/orgs/{id}/inspection-figures", get(inspection::figures))
        .route("/orgs/{id}/inspection-figures.xlsx", get(inspection::figures_xlsx))
        .route("/inspection/cases/{id}", get(inspection::case))
        .route("/inspection/cases/{id}/steps", post(inspection::step))
        .route("/inspection/cases/{id}/conclusion", post(inspection::conclude))
        .route("/inspection/cases/{id}/discipline", post(inspection::propose))
        .route("/inspection/cases/{id}/self-review", post(inspection::self_review))
        .route("/inspection/cases/{id}/discipline/decision", post(inspection::ballot))
        .route("/inspection/cases/{id}/appeal", post(inspection::appeal))
        .route("/inspection/cases/{id}/appeal/answer", post(inspection::answer))
        .route("/inspection/recommendations/{id}", post(inspection::recommendation))
        .route(
            "/inspection/cases/{id}/documents",
            post(inspection::attach_document)
                .layer(DefaultBodyLimit::max(chibo_access::MAX_DOCUMENT_BYTES + crate::api::UPLOAD_OVERHEAD)),
        )
        .route("/inspection/documents/{id}", get(inspection::download_document))
        .route("/inspection/documents/{id}/delete", post(inspection::delete_document))
        .route("/orgs/{id}/report", get(reports::report))
        .route("/orgs/{id}/report.xlsx", get(reports::report_xlsx))
        .route("/orgs/{id}/report/list", get(report_list::page))
        .route("/orgs/{id}/report/list.xlsx", get(report_list::xlsx))
        .route("/orgs/{id}/report/trends", get(report_trend::page))
        .route("/orgs/{id}/report/trends.xlsx", get(report_trend::xlsx))
        .route("/orgs/{id}/incoming", get(asof::incoming))
        .route("/orgs/{id}/incoming/{member}", post(asof::accept))
        .route("/members", post(members::create_member))
        .route("/members/new", get(members::new_member))
        .route("/members/{id}", get(members::member).post(members::update_member))
        .route("/members/{id}/edit", get(members::edit_member))
        .route("/members/{id}/events", post(members::record_event))
        .route("/members/{id}/events/{event}/void", get(life::void_page).post(life::void))
        .route("/members/{id}/own", post(members::correct_own))
        .route("/members/{id}/flags/{flag}/resolve", post(members::resolve_flag))
        .route("/orgs/{id}/candidates", get(candidates::list))
        .route("/orgs/{id}/candidates.xlsx", get(candidates::list_xlsx))
        .route("/candidates", post(candidates::create))
        .route("/candidates/new", get(candidates::new_form))
        .route("/candidates/{id}", get(candidates::show).post(candidates::update))
        .route("/candidates/{id}/edit", get(candidates::edit_form))
        .route("/candidates/{id}/admit", get(candidates::admit_form).post(candidates::admit))
        .route("/candidates/{id}/withdraw", post(candidates::withdraw))
        .route("/orgs/{id}/probation", get(worklists::probation))
        .route("/orgs/{id}/probation.xlsx", get(worklists::probation_xlsx))
        .route("/orgs/{id}/badges", get(worklists::badges))
        .route("/orgs/{id}/badges.xlsx", get(worklists::badges_xlsx))
        .route("/members/{id}/badges", get(worklists::member_badges).post(worklists::award))
        .route("/ui/members/{id}/badges", get(worklists::member_badges_fragment))
        .route("/orgs/{id}/meetings", get(meetings::list).post(meetings::schedule))
        .route("/meetings/{id}", get(meetings::show))
        .route("/meetings/{id}/edit", get(meetings::edit_form).post(meetings::update))
        .route("/meetings/{id}/attendance", get(meeting_forms::attendance_form).post(meeting_forms::attendance))
        .route("/meetings/{id}/minutes/edit", get(meeting_forms::minutes_form_page).post(meeting_forms::minutes))
        .route("/meetings/{id}/minutes", get(meeting_reports::print))
        .route("/meetings/{id}/assess", get(meeting_forms::assess_form).post(meeting_forms::assess))
        .route("/meetings/{id}/approve", post(meetings::approve))
        .route("/meetings/{id}/cancel", post(meetings::cancel))
        .route(
            "/meetings/{id}/documents",
            post(meetings::attach)
                .layer(DefaultBodyLimit::max(chibo_access::MAX_DOCUMENT_BYTES + crate::api::UPLOAD_OVERHEAD)),
        )
        .route("/documents/{id}", get(meetings::download))
        .route("/documents/{id}/delete", post(meetings::delete_document))
        .route("/meetings/{id}/notice", post(upcoming::notify))
        .route("/meetings/{id}/notice/withdraw", post(home::withdraw))
        .route("/meetings/{id}/notices/{member}", post(meetings::answer_notice))
        .route("/my/meetings", get(upcoming::upcoming))
        .route("/orgs/{id}/meeting-figures", get(meeting_reports::figures))
        .route("/orgs/{id}/meeting-figures.xlsx", get(list_exports::figures))
        .route("/orgs/{id}/meeting-figures/missing", get(missed::page))
        .route("/orgs/{id}/meeting-figures/missing.xlsx", get(list_exports::missed))
        .route("/orgs/{id}/absences", get(meeting_reports::absences))
        .route("/orgs/{id}/absences.xlsx", get(list_exports::absences))
        .route("/orgs/{id}/topics", get(meetings::topics).post(meetings::plan_topic))
        .route("/orgs/{id}/reviews", get(review::rounds).post(review::open))
        .route("/orgs/{id}/review-figures", get(review::figures))
        .route("/orgs/{id}/review-figures.xlsx", get(review::figures_xlsx))
        .route("/reviews/{id}", get(review::round))
        .route("/reviews/{id}/close", post(review::close))
        .route("/reviews/{id}/members/{member}", get(review_forms::member).post(review_forms::self_assess))
        .route("/reviews/{id}/members/{member}/print", get(review_print::print))
        .route("/reviews/{id}/members/{member}/plan", post(review_forms::plan))
        .route("/plan-items/{id}", post(review_forms::item))
        .route("/reviews/{id}/cells/{cell}", get(review_forms::cell).post(review_forms::opinion))
        .route("/reviews/{id}/cells/{cell}/proposals.xlsx", get(review_forms::cell_xlsx))
        .route("/reviews/{id}/bases/{base}", get(review_forms::decide).post(review_forms::decide_members))
        .route("/reviews/{id}/bases/{base}/orgs", post(review_forms::decide_orgs))
        .route("/reviews/{id}/corrections/{subject}", get(review_forms::correction_form).post(review_forms::correct))
        .route("/reviews/{id}/orgs/{org}", get(review_forms::org_self_form).post(review_forms::org_self))
        .route("/topics/{id}/delete", post(meetings::delete_topic))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/grants", post(admin::grant))
        .route("/admin/grants/{id}/revoke", post(admin::revoke))
        .route("/admin/users/{id}/disable", post(accounts::disable))
        .route("/admin/users/{id}/enable", post(accounts::enable))
        .route("/admin/users/{id}/unlock", post(accounts::unlock))
        .route("/admin/users/{id}/password", post(accounts::reset_password))
        .route("/admin/users/{id}/totp-reset", post(accounts::totp_reset))
        .route("/admin/users/{id}/sessions", get(accounts::sessions))
        .route("/admin/users/{id}/sessions/{session}/end", post(accounts::end_session))
        .route("/account/sessions/{id}/end", post(accounts::end_own_session))
        .route("/admin/audit", get(admin::audit))
        .route(
            "/orgs/{id}/import",
            get(import::form)
                .post(import::check)
                .layer(DefaultBodyLimit::max(chibo_access::MAX_IMPORT_BYTES + crate::api::UPLOAD_OVERHEAD)),
        )
        .route("/orgs/{id}/import/{token}", post(import::commit))
        .route("/import/progress/{token}", get(import_progress::progress))
        .route("/orgs/{id}/import/{token}/errors.xlsx", get(import::errors))
        .route("/orgs/{id}/members.xlsx", get(import::export))
        .route("/orgs/{id}/members/list.xlsx", get(member_list::export))
        .route("/orgs/{id}/members/print", get(member_list::print))
        .route("/import/members-template.xlsx", get(import::template))
        .route("/import/orgs-template.xlsx", get(import::org_template))
        .route("/import/candidates-template.xlsx", get(import::candidate_template))
        .route("/orgs/{id}/candidates-dossiers.xlsx", get(import::export_candidates))
        .fallback(not_found)
}

/// Any other address: the 404 page (the API answers its own unknown paths in JSON).
async fn not_found(headers: axum::http::HeaderMap) -> page::UiError {
    let lang = page::page_lang(&headers, None);
    page::UiError::new(chibo_access::Problem::NotFound, page::Chrome::anonymous(lang, texts(lang).err_not_found))
}
