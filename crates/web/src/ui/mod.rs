//! The server-rendered interface (askama templates + htmx), Vietnamese first.
//!
//! Pages are whole HTML documents that work without JavaScript; htmx (vendored, served from
//! `/static`) fetches fragments under `/ui/…` to open the tree, search, and page through
//! member lists. Every state-changing form carries the session's CSRF token.

mod admin;
mod assets;
mod auth;
mod form;
mod members;
mod org_forms;
mod orgs;
mod page;
mod text;
mod tree;
mod view;

use crate::State;
use axum::Router;
use axum::routing::{get, post};

pub use page::qs;
pub use text::{Texts, texts};

pub fn routes() -> Router<State> {
    Router::new()
        .route("/static/htmx.min.js", get(assets::htmx))
        .route("/static/app.css", get(assets::css))
        .route("/static/app.js", get(assets::js))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", post(auth::set_lang))
        .route("/account", get(auth::account))
        .route("/account/password", post(auth::change_password))
        .route("/", get(tree::home))
        .route("/ui/orgs/search", get(tree::search_fragment))
        .route("/ui/orgs/{id}/children", get(tree::children))
        .route("/ui/orgs/{id}/members", get(orgs::members_fragment))
        .route("/ui/orgs/{id}/pick", get(org_forms::pick))
        .route("/ui/communes", get(org_forms::communes))
        .route("/orgs", post(org_forms::create_org))
        .route("/orgs/new", get(org_forms::new_org))
        .route("/orgs/{id}", get(orgs::org_page).post(org_forms::update_org))
        .route("/orgs/{id}/edit", get(org_forms::edit_org))
        .route("/orgs/{id}/move", get(org_forms::move_form).post(org_forms::move_org))
        .route("/members", post(members::create_member))
        .route("/members/new", get(members::new_member))
        .route("/members/{id}", get(members::member).post(members::update_member))
        .route("/members/{id}/edit", get(members::edit_member))
        .route("/members/{id}/own", post(members::correct_own))
        .route("/members/{id}/flags/{flag}/resolve", post(members::resolve_flag))
        .route("/admin/users", get(admin::users).post(admin::create_user))
        .route("/admin/grants", post(admin::grant))
        .route("/admin/grants/{id}/revoke", post(admin::revoke))
        .route("/admin/audit", get(admin::audit))
        .fallback(not_found)
}

/// Any other address: the 404 page (the API answers its own unknown paths in JSON).
async fn not_found(headers: axum::http::HeaderMap) -> page::UiError {
    let lang = page::page_lang(&headers, None);
    page::UiError::new(chibo_access::Problem::NotFound, page::Chrome::anonymous(lang, texts(lang).err_not_found))
}
