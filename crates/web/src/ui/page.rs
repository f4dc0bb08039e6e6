//! What every page shares: the viewer of the request, the header ("chrome"), refusals as
//! pages, posted forms and their CSRF check.

use super::assets;
use super::text::{Texts, texts};
use crate::State;
use crate::session::{SESSION_COOKIE, cookie};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::{Lang, Problem, Validation, Viewer};
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// Lines a printable whole list holds at most (about a hundred A4 pages; the spreadsheet holds
/// every line): the member list, the list behind a number of the report.
pub const PRINT_MAX: usize = 5_000;

pub use crate::url::qs;

/// The second factor's enrolment page.
pub const ENROL: &str = "/account/2fa";
/// The pages an account that must enrol may open.
pub const ENROL_ALLOWED: &[&str] = &[ENROL, "/logout", "/lang"];

/// The language of a page: the `chibo_lang` cookie, else the account's choice, else
/// Vietnamese. The browser's `Accept-Language` is not followed: many phones in Vietnam run an
/// English locale, and the interface speaks Vietnamese unless the user switches.
pub fn page_lang(headers: &HeaderMap, viewer: Option<&Viewer>) -> Lang {
    if let Some(l) = cookie(headers, LANG_COOKIE) {
        return Lang::from_tag(l);
    }
    viewer.map_or(Lang::Vi, Viewer::lang)
}

pub const LANG_COOKIE: &str = "chibo_lang";

/// A logged-in request to a page. Without a session it redirects to `/login`.
pub struct Ctx {
    pub viewer: Viewer,
    pub lang: Lang,
    pub t: &'static Texts,
    /// Path and query of the request (where the language switch comes back to).
    pub here: String,
    /// The application's clock (the working date).
    pub clock: chibo_access::Clock,
}

fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request")
}

/// To the login page; an htmx request is told to load it as a whole page.
pub fn to_login(headers: &HeaderMap) -> Response {
    if is_htmx(headers) {
        let mut r = StatusCode::UNAUTHORIZED.into_response();
        r.headers_mut().insert("hx-redirect", HeaderValue::from_static("/login"));
        r
    } else {
        Redirect::to("/login").into_response()
    }
}

impl FromRequestParts<State> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Self, Response> {
        let token = cookie(&parts.headers, SESSION_COOKIE).unwrap_or("");
        match state.app.viewer_for_session(token).await {
            Ok(viewer) => {
                // An account that must enrol a second factor is sent to do so first (it holds
                // no right until then; this only spares it pages of refusals).
                if viewer.enrolment_required() && !ENROL_ALLOWED.contains(&parts.uri.path()) {
                    return Err(Redirect::to(ENROL).into_response());
                }
                let lang = page_lang(&parts.headers, Some(&viewer));
                Ok(Ctx {
                    lang,
                    t: texts(lang),
                    // After a form post, the language switch goes home.
                    here: if parts.method == axum::http::Method::GET {
                        parts.uri.path_and_query().map_or("/", |p| p.as_str())
                    } else {
                        "/"
                    }
                    .to_string(),
                    viewer,
                    clock: state.app.clock(),
                })
            }
            Err(Problem::Unauthenticated) => Err(to_login(&parts.headers)),
            Err(p) => {
                let lang = page_lang(&parts.headers, None);
                Err(UiError::new(p, Chrome::anonymous(lang, "")).into_response())
            }
        }
    }
}

impl Ctx {
    /// The working date (the application's clock).
    pub fn today(&self) -> time::Date {
        self.clock.today()
    }

    pub fn chrome(&self, title: impl Into<String>) -> Chrome {
        Chrome {
            t: self.t,
            lang: self.lang.code(),
            title: title.into(),
            user: Some(self.viewer.display_name().to_string()),
            admin: self.viewer.is_admin(),
            member: !self.viewer.own_member_ids().is_empty(),
            waiting: self.viewer.grants().iter().any(|g| g.role == chibo_access::domain::access::Role::Secretary),
            beyond_self: self.viewer.grants().iter().any(|g| g.role != chibo_access::domain::access::Role::Member),
            own_record: self.viewer.own_member_ids().first().map(|id| format!("/members/{id}")),
            csrf: self.viewer.csrf_token().to_string(),
            here: self.here.clone(),
            asset_v: assets::version(),
            pinned_day: self.clock.pinned().map(chibo_access::domain::date::format_vn),
            today: self.today().to_string(),
        }
    }

    /// A refusal as a page, in this viewer's language and header.
    pub fn fail(&self, p: Problem) -> UiError {
        UiError::new(p, self.chrome(""))
    }

    /// An upload's form must carry this session's CSRF token in its `csrf` field; else 403.
    pub fn check_upload_csrf(&self, up: &crate::upload::Upload) -> Result<(), UiError> {
        let csrf = up.fields.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
        self.check_csrf(&Posted(vec![("csrf".into(), csrf.into())]))
    }

    /// A posted form must carry this session's CSRF token; else 403.
    pub fn check_csrf(&self, form: &Posted) -> Result<(), UiError> {
        if self.viewer.csrf_ok(form.get("csrf").unwrap_or("")) {
            Ok(())
        } else {
            Err(self.fail(Problem::Forbidden).with_message(self.t.csrf_refused))
        }
    }
}

/// The header and the frame of every page.
pub struct Chrome {
    pub t: &'static Texts,
    pub lang: &'static str,
    pub title: String,
    /// The viewer's display name; `None` on the login page.
    pub user: Option<String>,
    pub admin: bool,
    /// The viewer has a member record (the "upcoming meetings" link).
    pub member: bool,
    /// The viewer is a cell secretary: the header shows the count of what waits.
    pub waiting: bool,
    /// The viewer's own member record (the member role).
    pub own_record: Option<String>,
    /// The viewer has a role beyond its own record: the tree and "upcoming meetings" are in
    /// the menu (a member alone finds both on the home page).
    pub beyond_self: bool,
    pub csrf: String,
    pub here: String,
    pub asset_v: &'static str,
    /// The working date when the clock is pinned (a demo on its own day), dd/mm/yyyy: shown
    /// on every page, so nobody takes the demo's "today" for the real one.
    pub pinned_day: Option<String>,
    /// The working date, yyyy-mm-dd (`data-today` on the page: the browser test reads it).
    pub today: String,
}

impl Chrome {
    pub fn anonymous(lang: Lang, title: &str) -> Chrome {
        Chrome {
            t: texts(lang),
            lang: lang.code(),
            title: title.to_string(),
            user: None,
            admin: false,
            member: false,
            waiting: false,
            own_record: None,
            beyond_self: false,
            csrf: String::new(),
            here: "/login".into(),
            asset_v: assets::version(),
            pinned_day: None,
            today: String::new(),
        }
    }
}

/// A refusal shown as a page (boxed: results stay small).
pub struct UiError(Box<Failure>);

pub struct Failure {
    pub problem: Problem,
    pub chrome: Chrome,
    /// Replaces the standard explanation.
    pub message: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    c: Chrome,
    t: &'static Texts,
    status: u16,
    heading: String,
    message: String,
}

impl UiError {
    pub fn new(problem: Problem, chrome: Chrome) -> UiError {
        UiError(Box::new(Failure { problem, chrome, message: None }))
    }

    /// Explain the refusal with this text instead of the standard one.
    pub fn with_message(mut self, message: &str) -> UiError {
        self.0.message = Some(message.to_string());
        self
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let f = *self.0;
        if f.problem == Problem::Unauthenticated {
            return Redirect::to("/login").into_response();
        }
        let lang = Lang::from_tag(f.chrome.lang);
        let t = f.chrome.t;
        let status = crate::error::status_of(&f.problem);
        let (_, described, _) = crate::error::describe(&f.problem, lang);
        let heading = match f.problem {
            Problem::NotFound => t.err_not_found,
            Problem::Forbidden => t.err_forbidden,
            Problem::Unavailable(_) => t.err_unavailable,
            _ => t.err_other,
        };
        let mut c = f.chrome;
        c.title = heading.to_string();
        let page = ErrorPage {
            c,
            t,
            status: status.as_u16(),
            heading: heading.to_string(),
            message: f.message.unwrap_or(described),
        };
        (status, page).into_response()
    }
}

/// A page for a path that names nothing (bad ids included): 404, never a 500.
pub fn parse_id(ctx: &Ctx, raw: &str) -> Result<Uuid, UiError> {
    Uuid::parse_str(raw.trim()).map_err(|_| ctx.fail(Problem::NotFound))
}

/// A submitted form, as name/value pairs (the last value of a repeated name wins).
pub struct Posted(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let lang = crate::session::request_lang(req.headers());
        match Form::<Vec<(String, String)>>::from_request(req, state).await {
            Ok(Form(pairs)) => match crate::guard::pairs_problem(&pairs) {
                None => Ok(Posted(pairs)),
                Some(problem) => {
                    let (_, message, field) = crate::error::describe(&problem, lang);
                    let field = field.unwrap_or_default();
                    Err((StatusCode::UNPROCESSABLE_ENTITY, format!("{field}: {message}")).into_response())
                }
            },
            Err(rej) => Err((StatusCode::BAD_REQUEST, rej.body_text()).into_response()),
        }
    }
}

impl Posted {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").to_string()
    }

    /// The form as a struct of optional texts (the `input` field structs).
    pub fn to<T: DeserializeOwned + Default>(&self) -> T {
        let map: serde_json::Map<String, serde_json::Value> =
            self.0.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
        serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
    }
}

/// The status of a form shown again with its errors.
pub fn form_status(p: &Problem) -> StatusCode {
    crate::error::status_of(p)
}

/// Field errors of a refusal that belongs on a form; other refusals become pages.
pub fn form_errors(ctx: &Ctx, p: Problem) -> Result<(Validation, StatusCode), UiError> {
    let status = form_status(&p);
    match p {
        Problem::Invalid(v) => Ok((v, status)),
        Problem::Conflict(e) => Ok((Validation { errors: vec![e] }, status)),
        other => Err(ctx.fail(other)),
    }
}

/// A local path to come back to (no other site): starts with one `/`, and holds no backslash,
/// whitespace or control character (browsers drop tabs and newlines, so `/\t/example.com`
/// would become `//example.com`, another site).
pub fn safe_next(next: Option<&str>) -> String {
    let local = |n: &str| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    };
    match next {
        Some(n) if local(n) => n.to_string(),
        _ => "/".into(),
    }
}
