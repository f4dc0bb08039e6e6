//! The JSON API under `/api/v1`. [`router_and_document`] declares every route once, for the
//! router and for the OpenAPI document (`openapi.rs`), so neither can miss a route.

mod admission;
mod auth;
pub mod body;
mod extract;
pub(crate) mod inspection;
mod inspection_docs;
pub(crate) mod life;
mod meeting_docs;
mod meeting_plans;
pub(crate) mod meetings;
mod members;
mod openapi;
mod orgs;
mod reports;
pub(crate) mod restructure;
pub(crate) mod review;
mod users;

pub use extract::{ApiJson, ClientAddr, Lang as ApiLang, Reader, Writer};
pub use openapi::document;

use crate::State;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub use crate::upload::UPLOAD_OVERHEAD;

/// The API's router and its OpenAPI document, from one declaration: each handler's
/// `#[utoipa::path]` gives its method, path, parameters and bodies, and `routes!` adds it to
/// both. Group in one `routes!` only the handlers of one path.
pub fn router_and_document() -> (Router<State>, utoipa::openapi::OpenApi) {
    OpenApiRouter::new()
        .routes(routes!(openapi::serve))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::login_code))
        .routes(routes!(auth::totp_status, auth::totp_begin))
        .routes(routes!(auth::totp_confirm))
        .routes(routes!(auth::me))
        .routes(routes!(auth::password))
        .routes(routes!(orgs::list, orgs::create))
        .routes(routes!(orgs::show, orgs::update))
        .routes(routes!(orgs::children))
        .routes(routes!(orgs::move_to))
        .routes(routes!(restructure::rename))
        .routes(routes!(restructure::dissolve))
        .routes(routes!(restructure::merge))
        .routes(routes!(restructure::split))
        .routes(routes!(restructure::as_of))
        .routes(routes!(restructure::incoming))
        .routes(routes!(reports::report))
        .routes(routes!(reports::report_list))
        .routes(routes!(reports::report_trend))
        .routes(routes!(members::list))
        .routes(routes!(members::create))
        .routes(routes!(members::show, members::update))
        .routes(routes!(life::show))
        .routes(routes!(life::record))
        .routes(routes!(members::correct_own))
        .routes(routes!(members::resolve_flag))
        .routes(routes!(admission::list, admission::create))
        .routes(routes!(admission::show, admission::update))
        .routes(routes!(admission::withdraw))
        .routes(routes!(admission::admit))
        .routes(routes!(admission::probation))
        .routes(routes!(admission::badges))
        .routes(routes!(admission::member_badges, admission::award_badge))
        .routes(routes!(meetings::list, meetings::schedule))
        .routes(routes!(meetings::show, meetings::update))
        .routes(routes!(meetings::attendance))
        .routes(routes!(meetings::minutes))
        .routes(routes!(meetings::approve))
        .routes(routes!(meetings::cancel))
        .routes(routes!(meetings::assess))
        .routes(
            routes!(meeting_docs::attach)
                .layer(DefaultBodyLimit::max(chibo_access::MAX_DOCUMENT_BYTES + UPLOAD_OVERHEAD)),
        )
        .routes(routes!(meeting_docs::get_document, meeting_docs::delete_document))
        .routes(routes!(meeting_docs::notify))
        .routes(routes!(meeting_docs::answer_notice))
        .routes(routes!(meeting_docs::upcoming))
        .routes(routes!(meeting_plans::org_figures))
        .routes(routes!(meeting_plans::missed_meetings))
        .routes(routes!(meeting_plans::absences))
        .routes(routes!(meeting_plans::topics, meeting_plans::plan_topic))
        .routes(routes!(meeting_plans::delete_topic))
        .routes(routes!(meeting_plans::scoring_sheet))
        .routes(routes!(meeting_plans::set_scoring_sheet))
        .routes(routes!(review::list, review::open))
        .routes(routes!(review::show))
        .routes(routes!(review::close))
        .routes(routes!(review::worklist))
        .routes(routes!(review::member, review::self_assess))
        .routes(routes!(review::opinion))
        .routes(routes!(review::decide_members))
        .routes(routes!(review::decide_orgs))
        .routes(routes!(review::correct))
        .routes(routes!(review::org_self))
        .routes(routes!(review::plan))
        .routes(routes!(review::item))
        .routes(routes!(review::figures))
        .routes(routes!(review::settings))
        .routes(routes!(inspection::programmes, inspection::create_programme))
        .routes(routes!(inspection::edit_programme))
        .routes(routes!(inspection::cases, inspection::decide))
        .routes(routes!(inspection::show))
        .routes(routes!(inspection::step))
        .routes(routes!(inspection::conclude))
        .routes(routes!(inspection::recommendation))
        .routes(routes!(inspection::propose))
        .routes(routes!(inspection::self_review))
        .routes(routes!(inspection::decide_discipline))
        .routes(routes!(inspection::appeal))
        .routes(routes!(inspection::answer))
        .routes(routes!(inspection::figures))
        .routes(routes!(inspection::work))
        .routes(
            routes!(inspection_docs::list, inspection_docs::attach)
                .layer(DefaultBodyLimit::max(chibo_access::MAX_DOCUMENT_BYTES + UPLOAD_OVERHEAD)),
        )
        .routes(routes!(inspection_docs::download, inspection_docs::delete))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::grant))
        .routes(routes!(users::revoke))
        .routes(routes!(users::disable))
        .routes(routes!(users::enable))
        .routes(routes!(users::totp_reset))
        .routes(routes!(users::reset_password))
        .routes(routes!(users::unlock))
        .routes(routes!(users::sessions))
        .routes(routes!(users::end_session))
        .routes(routes!(users::login_blocks))
        .routes(routes!(users::audit))
        .split_for_parts()
}

/// The API's router, to nest under `/api/v1`.
pub fn routes() -> Router<State> {
    router_and_document().0.fallback(not_found)
}

async fn not_found(lang: ApiLang) -> crate::ApiError {
    crate::ApiError(chibo_access::Problem::NotFound, lang.0)
}

/// Parse a path id; a malformed one is simply not found.
pub(crate) fn parse_id(s: &str, lang: chibo_access::Lang) -> Result<uuid::Uuid, crate::ApiError> {
    uuid::Uuid::parse_str(s).map_err(|_| crate::ApiError(chibo_access::Problem::NotFound, lang))
}
