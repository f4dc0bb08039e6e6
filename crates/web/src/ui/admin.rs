//! Administration: accounts and their grants, and the audit log.

use super::form::{Field, Kind, place_errors};
use super::page::{Chrome, Ctx, Posted, UiError, form_errors, parse_id};
use super::text::Texts;
use super::view::{Link, moment};
use crate::State;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State as S};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chibo_access::domain::access::Role;
use chibo_access::{FieldError, Problem, Validation};
use serde::Deserialize;
use uuid::Uuid;

/// One grant of an account, with the form that revokes it.
pub struct GrantView {
    pub id: String,
    pub role: &'static str,
    pub org: Link,
    pub member: Option<Link>,
}

pub struct UserView {
    pub id: String,
    /// Refused logins at some address after repeated failures (the unlock button shows).
    pub blocked: bool,
    pub username: String,
    pub display_name: String,
    pub active: bool,
    pub last_login: String,
    pub grants: Vec<GrantView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
pub struct UsersPage {
    c: Chrome,
    t: &'static Texts,
    users: Vec<UserView>,
    create: Vec<Field>,
    create_general: Vec<String>,
    grant: Vec<Field>,
    grant_general: Vec<String>,
    done: bool,
}

#[derive(Deserialize, Default)]
pub struct UsersQuery {
    done: Option<String>,
    org: Option<String>,
}

/// What the forms showed when submitted (kept on errors).
#[derive(Default)]
struct Entered {
    create: Option<Posted>,
    create_errors: Validation,
    grant: Option<Posted>,
    grant_errors: Validation,
}

async fn users_page(
    state: &State,
    ctx: &Ctx,
    entered: &Entered,
    org_hint: &str,
    done: bool,
) -> Result<UsersPage, UiError> {
    let t = ctx.t;
    let lang = ctx.lang;
    let all = state.app.users(&ctx.viewer).await.map_err(|p| ctx.fail(p))?;
    let blocks = state.app.login_blocks(&ctx.viewer).await.unwrap_or_default();
    let users: Vec<UserView> = all
        .iter()
        .map(|(u, grants)| UserView {
            id: u.id.to_string(),
            blocked: blocks.iter().any(|b| b.account == u.username),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            active: u.is_active,
            last_login: u.last_login_at.map(moment).unwrap_or_default(),
            grants: grants
                .iter()
                .map(|g| GrantView {
                    id: g.id.to_string(),
                    role: g.role.label(lang),
                    org: Link { href: format!("/orgs/{}", g.org_id), text: g.org_name.clone() },
                    member: g
                        .member_id
                        .map(|m| Link { href: format!("/members/{m}"), text: t.linked_member.to_string() }),
                })
                .collect(),
        })
        .collect();
    let value = |p: &Option<Posted>, name: &str, default: &str| -> Option<String> {
        Some(p.as_ref().map_or_else(|| default.to_string(), |p| p.text(name)))
    };
    let c = &entered.create;
    let mut create = vec![
        Field::text("username", t.username, &value(c, "username", "")).required().hint(t.username_hint),
        Field::text("display_name", t.display_name, &value(c, "display_name", "")).required(),
        Field::new("password", t.password, Kind::Password, "")
            .required()
            .autocomplete("new-password")
            .hint(t.password_hint),
    ];
    let create_general = place_errors(&mut create, &entered.create_errors, lang);
    let g = &entered.grant;
    let accounts = all.iter().map(|(u, _)| (u.id.to_string(), format!("{} ({})", u.display_name, u.username)));
    let roles = Role::ALL.into_iter().map(|r| (r.code().to_string(), r.label(lang).to_string()));
    let mut grant = vec![
        Field::select("user_id", t.account, &value(g, "user_id", ""), accounts, Some(t.choose)).required(),
        Field::select("role", t.role, &value(g, "role", ""), roles, Some(t.choose)).required(),
        Field::text("org_id", t.org_id, &value(g, "org_id", org_hint)).required().hint(t.org_id_hint),
        Field::text("member_id", t.member_id, &value(g, "member_id", "")).hint(t.member_id_hint),
    ];
    let grant_general = place_errors(&mut grant, &entered.grant_errors, lang);
    Ok(UsersPage { c: ctx.chrome(t.admin_users), t, users, create, create_general, grant, grant_general, done })
}

pub async fn users(S(state): S<State>, ctx: Ctx, Query(q): Query<UsersQuery>) -> Result<UsersPage, UiError> {
    let org = q.org.unwrap_or_default();
    users_page(&state, &ctx, &Entered::default(), &org, q.done.is_some()).await
}

pub async fn create_user(S(state): S<State>, ctx: Ctx, form: Posted) -> Result<Response, UiError> {
    ctx.check_csrf(&form)?;
    match state
        .app
        .create_user(&ctx.viewer, &form.text("username"), &form.text("display_name"), &form.text("password"))
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/users?done=1").into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let entered = Entered { create: Some(form), create_errors: errors, ..Entered::default() };
            let page = users_page(&state, &ctx, &entered, "", false).await?;
            Ok((status, page).into_response())
        }
    }
}

fn uuid_field(form: &Posted, name: &str, errors: &mut Validation, vi: &str, en: &str) -> Option<Uuid> {
    let raw = form.text(name);
    if raw.trim().is_empty() {
        return None;
    }
    let id = Uuid::parse_str(raw.trim()).ok();
    if id.is_none() {
        errors.push(FieldError::new(
            name,
            "invalid_id",
            format!("{vi}: mã không hợp lệ."),
            format!("{en}: not a valid id."),
        ));
    }
    id
}

pub async fn grant(S(state): S<State>, ctx: Ctx, form: Posted) -> Result<Response, UiError> {
    ctx.check_csrf(&form)?;
    let mut errors = Validation::default();
    let user = uuid_field(&form, "user_id", &mut errors, "Tài khoản", "Account");
    let org = uuid_field(&form, "org_id", &mut errors, "Mã tổ chức", "Organisation id");
    let member = uuid_field(&form, "member_id", &mut errors, "Mã đảng viên", "Member id");
    let role = Role::parse(form.text("role").trim());
    if user.is_none() && !errors.has("user_id") {
        errors.push(FieldError::required("user_id", "Tài khoản", "Account"));
    }
    if org.is_none() && !errors.has("org_id") {
        errors.push(FieldError::required("org_id", "Mã tổ chức", "Organisation id"));
    }
    if role.is_none() {
        errors.push(FieldError::required("role", "Vai trò", "Role"));
    }
    let outcome = match (user, role, org, errors.is_ok()) {
        (Some(u), Some(r), Some(o), true) => state.app.grant(&ctx.viewer, u, r, o, member).await.map(|_| ()),
        _ => Err(Problem::Invalid(errors)),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to("/admin/users?done=1").into_response()),
        Err(p) => {
            let (errors, status) = form_errors(&ctx, p)?;
            let entered = Entered { grant: Some(form), grant_errors: errors, ..Entered::default() };
            let page = users_page(&state, &ctx, &entered, "", false).await?;
            Ok((status, page).into_response())
        }
    }
}

pub async fn revoke(S(state): S<State>, ctx: Ctx, Path(id): Path<String>, form: Posted) -> Result<Response, UiError> {
    let id = parse_id(&ctx, &id)?;
    ctx.check_csrf(&form)?;
    state.app.revoke(&ctx.viewer, id).await.map_err(|p| ctx.fail(p))?;
    Ok(Redirect::to("/admin/users?done=1").into_response())
}

pub struct AuditRow {
    pub at: String,
    pub username: String,
    pub action: String,
    /// The kind of record and the start of its id.
    pub entity: String,
    /// Its page, for organisations and members.
    pub href: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_audit.html")]
pub struct AuditPage {
    c: Chrome,
    t: &'static Texts,
    rows: Vec<AuditRow>,
}

pub async fn audit(S(state): S<State>, ctx: Ctx) -> Result<Response, UiError> {
    let records = state.app.audit_log(&ctx.viewer, None, 200).await.map_err(|p| ctx.fail(p))?;
    let rows = records
        .into_iter()
        .map(|r| AuditRow {
            at: moment(r.at),
            username: r.username,
            action: r.action,
            entity: match r.entity_id {
                Some(id) => format!("{} {}", r.entity, &id.simple().to_string()[24..]),
                None => r.entity.clone(),
            },
            href: r.entity_id.and_then(|id| match r.entity.as_str() {
                "member" => Some(format!("/members/{id}")),
                "org" => Some(format!("/orgs/{id}")),
                _ => None,
            }),
        })
        .collect();
    let page = AuditPage { c: ctx.chrome(ctx.t.admin_audit), t: ctx.t, rows };
    Ok((StatusCode::OK, page).into_response())
}
