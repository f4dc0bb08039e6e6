//! The JSON API under `/api/v1`. [`ROUTES`] lists every route once: it builds the OpenAPI
//! document, and the access-matrix test walks it, so neither can miss a route.

mod auth;
mod extract;
mod json;
mod members;
mod openapi;
mod orgs;
mod users;

pub use extract::{ApiJson, ClientAddr, Lang as ApiLang, Reader, Writer};
pub use openapi::document;

use crate::State;
use axum::Router;
use axum::routing::{delete, get, patch, post};

/// One API route: method, path (axum syntax), summary, whether it needs a session, and
/// the example body the access-matrix test sends.
pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub auth: bool,
    pub tag: &'static str,
}

pub const ROUTES: &[RouteDoc] = &[
    RouteDoc { method: "GET", path: "/openapi.json", summary: "This document", auth: false, tag: "meta" },
    RouteDoc {
        method: "POST",
        path: "/auth/login",
        summary: "Open a session: {username, password}",
        auth: false,
        tag: "auth",
    },
    RouteDoc { method: "POST", path: "/auth/logout", summary: "End the session", auth: true, tag: "auth" },
    RouteDoc {
        method: "GET",
        path: "/auth/me",
        summary: "The logged-in account, its grants and CSRF token",
        auth: true,
        tag: "auth",
    },
    RouteDoc {
        method: "POST",
        path: "/auth/password",
        summary: "Change one's password: {current_password, new_password}",
        auth: true,
        tag: "auth",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs",
        summary: "The viewer's top organisations, or a name search with ?q=",
        auth: true,
        tag: "orgs",
    },
    RouteDoc { method: "POST", path: "/orgs", summary: "Create an organisation", auth: true, tag: "orgs" },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}",
        summary: "An organisation with ancestors, children and counts",
        auth: true,
        tag: "orgs",
    },
    RouteDoc {
        method: "PUT",
        path: "/orgs/{id}",
        summary: "Edit an organisation (dissolve with dissolved_on)",
        auth: true,
        tag: "orgs",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/children",
        summary: "Direct sub-organisations",
        auth: true,
        tag: "orgs",
    },
    RouteDoc {
        method: "POST",
        path: "/orgs/{id}/move",
        summary: "Move the subtree under a new parent: {new_parent_id}",
        auth: true,
        tag: "orgs",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/members",
        summary: "Members of the subtree in Vietnamese name order: ?q=&status=&after=&limit=",
        auth: true,
        tag: "members",
    },
    RouteDoc { method: "POST", path: "/members", summary: "Create a member record", auth: true, tag: "members" },
    RouteDoc { method: "GET", path: "/members/{id}", summary: "A member record", auth: true, tag: "members" },
    RouteDoc {
        method: "PUT",
        path: "/members/{id}",
        summary: "Replace a member record (with its version)",
        auth: true,
        tag: "members",
    },
    RouteDoc {
        method: "PATCH",
        path: "/members/{id}/own",
        summary: "A member corrects contact fields of their own record",
        auth: true,
        tag: "members",
    },
    RouteDoc {
        method: "POST",
        path: "/flags/{id}/resolve",
        summary: "Close a possible-duplicate flag after review",
        auth: true,
        tag: "members",
    },
    RouteDoc {
        method: "GET",
        path: "/users",
        summary: "Accounts and their grants (administrators)",
        auth: true,
        tag: "users",
    },
    RouteDoc {
        method: "POST",
        path: "/users",
        summary: "Create an account (administrators)",
        auth: true,
        tag: "users",
    },
    RouteDoc {
        method: "POST",
        path: "/users/{id}/grants",
        summary: "Grant a role on an organisation: {role, org_id, member_id?}",
        auth: true,
        tag: "users",
    },
    RouteDoc { method: "DELETE", path: "/grants/{id}", summary: "Revoke a grant", auth: true, tag: "users" },
    RouteDoc {
        method: "GET",
        path: "/audit",
        summary: "The audit log of the administered subtrees: ?entity_id=&limit=",
        auth: true,
        tag: "audit",
    },
];

pub fn routes() -> Router<State> {
    Router::new()
        .route("/openapi.json", get(openapi::serve))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .route("/auth/password", post(auth::password))
        .route("/orgs", get(orgs::list).post(orgs::create))
        .route("/orgs/{id}", get(orgs::show).put(orgs::update))
        .route("/orgs/{id}/children", get(orgs::children))
        .route("/orgs/{id}/move", post(orgs::move_to))
        .route("/orgs/{id}/members", get(members::list))
        .route("/members", post(members::create))
        .route("/members/{id}", get(members::show).put(members::update))
        .route("/members/{id}/own", patch(members::correct_own))
        .route("/flags/{id}/resolve", post(members::resolve_flag))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}/grants", post(users::grant))
        .route("/grants/{id}", delete(users::revoke))
        .route("/audit", get(users::audit))
        .fallback(not_found)
}

async fn not_found(lang: ApiLang) -> crate::ApiError {
    crate::ApiError(chibo_access::Problem::NotFound, lang.0)
}

/// Parse a path id; a malformed one is simply not found.
pub(crate) fn parse_id(s: &str, lang: chibo_access::Lang) -> Result<uuid::Uuid, crate::ApiError> {
    uuid::Uuid::parse_str(s).map_err(|_| crate::ApiError(chibo_access::Problem::NotFound, lang))
}
