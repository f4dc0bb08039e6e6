//! The JSON API under `/api/v1`. [`ROUTES`] lists every route once: it builds the OpenAPI
//! document, and the access-matrix test walks it, so neither can miss a route.

mod admission;
mod auth;
mod extract;
mod json;
pub(crate) mod life;
pub(crate) mod meetings;
mod members;
mod openapi;
mod orgs;
mod reports;
pub(crate) mod restructure;
mod users;

pub use extract::{ApiJson, ClientAddr, Lang as ApiLang, Reader, Writer};
pub use openapi::document;

use crate::State;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, patch, post, put};

/// Room for the multipart envelope around the largest document.
pub const UPLOAD_OVERHEAD: usize = 64 * 1024;

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
    RouteDoc {
        method: "POST",
        path: "/auth/login/code",
        summary: "Second step of a login with a second factor: {pending_token, code} (code or recovery code)",
        auth: false,
        tag: "auth",
    },
    RouteDoc { method: "POST", path: "/auth/logout", summary: "End the session", auth: true, tag: "auth" },
    RouteDoc {
        method: "GET",
        path: "/auth/totp",
        summary: "Whether the second factor is on, recovery codes left, whether enrolment is required",
        auth: true,
        tag: "auth",
    },
    RouteDoc {
        method: "POST",
        path: "/auth/totp",
        summary: "Start enrolling a second factor: {secret, otpauth_url}",
        auth: true,
        tag: "auth",
    },
    RouteDoc {
        method: "POST",
        path: "/auth/totp/confirm",
        summary: "Confirm the second factor with a code: {code}; answers the 10 recovery codes once",
        auth: true,
        tag: "auth",
    },
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
        summary: "Move the subtree under a new parent: {new_parent_id, effective?, decision_number?, decision_body?, decision_signed_on?} (effective defaults to today)",
        auth: true,
        tag: "orgs",
    },
    RouteDoc {
        method: "POST",
        path: "/orgs/{id}/rename",
        summary: "Rename from a date: {name, effective, decision_number?, decision_body?, decision_signed_on?}",
        auth: true,
        tag: "restructure",
    },
    RouteDoc {
        method: "POST",
        path: "/orgs/{id}/dissolve",
        summary: "Dissolve an empty organisation from a date: {effective, decision_*}",
        auth: true,
        tag: "restructure",
    },
    RouteDoc {
        method: "POST",
        path: "/orgs/{id}/merge",
        summary: "Merge organisations into this one (members transferred, sub-organisations moved, sources dissolved): {sources: [id], effective, decision_*}",
        auth: true,
        tag: "restructure",
    },
    RouteDoc {
        method: "POST",
        path: "/orgs/{id}/split",
        summary: "Split into new organisations under the same parent: {parts: [{name, kind, …, member_ids: [id]}], dissolve_source, effective, decision_*}",
        auth: true,
        tag: "restructure",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/as-of",
        summary: "The organisation, its sub-organisations, counts and rolls as of ?on= (yyyy-mm-dd or dd/mm/yyyy; today when absent)",
        auth: true,
        tag: "restructure",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/incoming",
        summary: "Members transferred to an organisation of this subtree, waiting to be received (record transferred_in to accept)",
        auth: true,
        tag: "life",
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
        method: "GET",
        path: "/members/{id}/timeline",
        summary: "A member's events with their effect, state, gaps and party age",
        auth: true,
        tag: "life",
    },
    RouteDoc {
        method: "POST",
        path: "/members/{id}/events",
        summary: "Record an event: {kind, effective, org_id?, ref_id?, decision_number?, decision_body?, decision_signed_on?, reason?, ground?, form?, place?, until?, votes_for?, vote_base?}; a wrong event is corrected by kind voided with ref_id",
        auth: true,
        tag: "life",
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
    // Admission and work lists (issue 3).
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/candidates",
        summary: "Candidates for admission of the subtree in name order: ?state=open|admitted|withdrawn (open when absent), each with its decision deadline and overdue flag",
        auth: true,
        tag: "admission",
    },
    RouteDoc {
        method: "POST",
        path: "/orgs/{id}/candidates",
        summary: "Open a candidate's case in this cell: {family_name, middle_name, given_name, birth_date, gender, ethnicity_code, citizen_id?, course_certificate_on?, application_on, introducers: [{member_id, known_since}], youth_union_resolution_on?, cell_resolution_on?, cell_votes_for?, cell_vote_base?, base_resolution_on?, decision_on?, age_exception_approved?}",
        auth: true,
        tag: "admission",
    },
    RouteDoc {
        method: "GET",
        path: "/candidates/{id}",
        summary: "A candidate and their dossier",
        auth: true,
        tag: "admission",
    },
    RouteDoc {
        method: "PUT",
        path: "/candidates/{id}",
        summary: "Replace an open dossier (the fields of creation with org_id, and the version read)",
        auth: true,
        tag: "admission",
    },
    RouteDoc {
        method: "POST",
        path: "/candidates/{id}/withdraw",
        summary: "Close an open case without admission: {version}",
        auth: true,
        tag: "admission",
    },
    RouteDoc {
        method: "POST",
        path: "/candidates/{id}/admit",
        summary: "Admit: {decision_number?, decision_body?, decision_signed_on, ceremony_on, version}; creates the probationary member (member_id in the answer)",
        auth: true,
        tag: "admission",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/probation",
        summary: "Probationary members of the subtree whose probation ends within 30 days, awaits the cell's decision or is overdue",
        auth: true,
        tag: "admission",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/badges",
        summary: "Party badges due on an award date: ?award_on= (03/02, 19/05, 02/09 or 07/11; yyyy-mm-dd or dd/mm/yyyy; the next award date when absent)",
        auth: true,
        tag: "admission",
    },
    RouteDoc {
        method: "GET",
        path: "/members/{id}/badges",
        summary: "The party badges awarded to a member",
        auth: true,
        tag: "admission",
    },
    RouteDoc {
        method: "POST",
        path: "/members/{id}/badges",
        summary: "Record a badge awarded: {years, award_on, decision_number?, ill?}; never the same badge twice (409 naming years)",
        auth: true,
        tag: "admission",
    },
    // Cell meetings (issue 4).
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/meetings",
        summary: "The meetings of a cell in a year, by date: ?year= (this year when absent)",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "POST",
        path: "/orgs/{id}/meetings",
        summary: "Schedule a meeting of this cell: {kind: regular|thematic|combined|extraordinary|committee, held_on, starts_at? (HH:MM), place?, agenda?, topic_id?, guests?}; the roll (invitations) is the cell's membership on the date",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "GET",
        path: "/meetings/{id}",
        summary: "A meeting: plan, counts, roll with marks, speakers, documents, notices, corrections, vote base, missing parts of the minutes, the previous resolution and the scoring sheet in force (a member sees the plan, documents and their own line)",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "PUT",
        path: "/meetings/{id}",
        summary: "Change the plan: the fields of scheduling with version; after the meeting day a change of date, kind or time of a held meeting needs reason",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "PUT",
        path: "/meetings/{id}/attendance",
        summary: "Record the attendance: {marks: [{member_id, mark: present|excused|unexcused|exempt|special_duty, reason?}], version, reason?}; every expected member needs a mark (errors name marks.<member id>); the meeting becomes held; after the day a changed mark needs reason",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "PUT",
        path: "/meetings/{id}/minutes",
        summary: "Record the minutes of a held meeting: {starts_at, ends_at, place, agenda, chair_id, recorder_id, guests, followup, conclusions, resolution, votes_for, votes_against, votes_abstain, speakers: [{member_id?, name?, opinion}], version, reason?}",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "POST",
        path: "/meetings/{id}/approve",
        summary: "Approve the minutes (every part present): {version}; approved minutes are locked (later changes: 409)",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "POST",
        path: "/meetings/{id}/cancel",
        summary: "Cancel a meeting not held: {version}",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "PUT",
        path: "/meetings/{id}/rating",
        summary: "Rate a held meeting on the sheet in force: {scores: {<judged criterion code>: points}, version, reason?}; computed criteria come from the record; answers {assessment, meeting}",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "POST",
        path: "/meetings/{id}/documents",
        summary: "Attach a document (PDF, Word, Excel, PowerPoint, ODT, JPG, PNG, TXT; at most 10 MiB): multipart/form-data with a part named file, or the raw bytes with ?file_name=",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "GET",
        path: "/documents/{id}",
        summary: "Download a meeting document",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "DELETE",
        path: "/documents/{id}",
        summary: "Remove a document (not after the minutes are approved)",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "POST",
        path: "/meetings/{id}/notice",
        summary: "A member tells in advance that they will be absent from an upcoming meeting of their cell: {reason}",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "PUT",
        path: "/meetings/{id}/notices/{member_id}",
        summary: "The secretary accepts or refuses a member's notice: {accept: true|false}; an accepted one marks the member absent with reason",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "GET",
        path: "/me/meetings",
        summary: "The logged-in member's upcoming meetings: agenda, documents and their own notice",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/report",
        summary: "The statistics report of the subtree: the structure of the members on its rolls today (?on= today only) by standing, gender, age and party-age bands, ethnicity, religion, education, theory level, occupation, as counts; and its changes over ?period= (2025, 2025-Q1, 2025-01 or 2025-01-01..2025-06-30; the current year when absent): admissions (young, female, minority), recognitions, transfers in and out, re-admissions, deaths, leaving, striking off, expulsion",
        auth: true,
        tag: "members",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/meeting-figures",
        summary: "Compliance figures of the subtree for ?period= (2025, 2025-Q1, 2025-01 or 2025-01-01..2025-06-30) as of the tree of the period: shares of cells holding the regular and thematic meetings, pooled attendance, ratings, with the organisations below (drill-down), a cell's meetings and missing months, and the cells missing meetings",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/meeting-figures/missing",
        summary: "One page (?offset=, ?limit= up to 500, default 50) of the cells under the organisation that missed the regular meeting of a month (?period=2025-03) or the thematic one of a quarter (?period=2025-Q1), in the order of the tree, with their count and the next offset",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/absences",
        summary: "A cell's members absent repeatedly or without reason in ?year=, worst first",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/topics",
        summary: "A cell's plan of thematic topics for ?year=",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "POST",
        path: "/orgs/{id}/topics",
        summary: "Plan a thematic topic: {year, month, title}",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "DELETE",
        path: "/topics/{id}",
        summary: "Remove a planned topic (not one a meeting uses)",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "GET",
        path: "/orgs/{id}/scoring-sheet",
        summary: "The scoring sheet in force for the organisation on ?on= (today when absent): configured here or above, else the default of the rules",
        auth: true,
        tag: "meetings",
    },
    RouteDoc {
        method: "POST",
        path: "/orgs/{id}/scoring-sheets",
        summary: "Configure a 100-point scoring sheet for the subtree from a date: {name, effective_from, sheet: {criteria: [{code, label_vi, label_en?, points, measure: {kind: attendance|duration|speakers|minutes|judged}, required_for_top?}], bands: {good, fair, average}}}",
        auth: true,
        tag: "meetings",
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
        method: "POST",
        path: "/users/{id}/disable",
        summary: "Disable an account managed by the administrator; its sessions end",
        auth: true,
        tag: "users",
    },
    RouteDoc { method: "POST", path: "/users/{id}/enable", summary: "Enable an account", auth: true, tag: "users" },
    RouteDoc {
        method: "POST",
        path: "/users/{id}/totp/reset",
        summary: "Remove a managed account's second factor; it enrols again",
        auth: true,
        tag: "users",
    },
    RouteDoc {
        method: "POST",
        path: "/users/{id}/password",
        summary: "Set a managed account's password: {new_password}; its sessions end",
        auth: true,
        tag: "users",
    },
    RouteDoc {
        method: "POST",
        path: "/users/{id}/unlock",
        summary: "Forget a managed account's failed logins from every address",
        auth: true,
        tag: "users",
    },
    RouteDoc {
        method: "GET",
        path: "/users/{id}/sessions",
        summary: "Live sessions of one's own or a managed account",
        auth: true,
        tag: "users",
    },
    RouteDoc {
        method: "DELETE",
        path: "/users/{id}/sessions/{session}",
        summary: "End one session of one's own or a managed account",
        auth: true,
        tag: "users",
    },
    RouteDoc {
        method: "GET",
        path: "/login-blocks",
        summary: "Accounts refused at some address after failed logins (administrators)",
        auth: true,
        tag: "users",
    },
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
        .route("/auth/login/code", post(auth::login_code))
        .route("/auth/totp", get(auth::totp_status).post(auth::totp_begin))
        .route("/auth/totp/confirm", post(auth::totp_confirm))
        .route("/auth/me", get(auth::me))
        .route("/auth/password", post(auth::password))
        .route("/orgs", get(orgs::list).post(orgs::create))
        .route("/orgs/{id}", get(orgs::show).put(orgs::update))
        .route("/orgs/{id}/children", get(orgs::children))
        .route("/orgs/{id}/move", post(orgs::move_to))
        .route("/orgs/{id}/rename", post(restructure::rename))
        .route("/orgs/{id}/dissolve", post(restructure::dissolve))
        .route("/orgs/{id}/merge", post(restructure::merge))
        .route("/orgs/{id}/split", post(restructure::split))
        .route("/orgs/{id}/as-of", get(restructure::as_of))
        .route("/orgs/{id}/incoming", get(restructure::incoming))
        .route("/orgs/{id}/members", get(members::list))
        .route("/members", post(members::create))
        .route("/members/{id}", get(members::show).put(members::update))
        .route("/members/{id}/timeline", get(life::show))
        .route("/members/{id}/events", post(life::record))
        .route("/members/{id}/own", patch(members::correct_own))
        .route("/flags/{id}/resolve", post(members::resolve_flag))
        .route("/orgs/{id}/candidates", get(admission::list).post(admission::create))
        .route("/candidates/{id}", get(admission::show).put(admission::update))
        .route("/candidates/{id}/withdraw", post(admission::withdraw))
        .route("/candidates/{id}/admit", post(admission::admit))
        .route("/orgs/{id}/probation", get(admission::probation))
        .route("/orgs/{id}/badges", get(admission::badges))
        .route("/members/{id}/badges", get(admission::member_badges).post(admission::award_badge))
        .route("/orgs/{id}/meetings", get(meetings::list).post(meetings::schedule))
        .route("/meetings/{id}", get(meetings::show).put(meetings::update))
        .route("/meetings/{id}/attendance", put(meetings::attendance))
        .route("/meetings/{id}/minutes", put(meetings::minutes))
        .route("/meetings/{id}/approve", post(meetings::approve))
        .route("/meetings/{id}/cancel", post(meetings::cancel))
        .route("/meetings/{id}/rating", put(meetings::assess))
        .route(
            "/meetings/{id}/documents",
            post(meetings::attach).layer(DefaultBodyLimit::max(chibo_access::MAX_DOCUMENT_BYTES + UPLOAD_OVERHEAD)),
        )
        .route("/documents/{id}", get(meetings::get_document).delete(meetings::delete_document))
        .route("/meetings/{id}/notice", post(meetings::notify))
        .route("/meetings/{id}/notices/{member_id}", put(meetings::answer_notice))
        .route("/me/meetings", get(meetings::upcoming))
        .route("/orgs/{id}/report", get(reports::report))
        .route("/orgs/{id}/meeting-figures", get(meetings::org_figures))
        .route("/orgs/{id}/meeting-figures/missing", get(meetings::missed_meetings))
        .route("/orgs/{id}/absences", get(meetings::absences))
        .route("/orgs/{id}/topics", get(meetings::topics).post(meetings::plan_topic))
        .route("/topics/{id}", delete(meetings::delete_topic))
        .route("/orgs/{id}/scoring-sheet", get(meetings::scoring_sheet))
        .route("/orgs/{id}/scoring-sheets", post(meetings::set_scoring_sheet))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}/grants", post(users::grant))
        .route("/grants/{id}", delete(users::revoke))
        .route("/users/{id}/disable", post(users::disable))
        .route("/users/{id}/enable", post(users::enable))
        .route("/users/{id}/totp/reset", post(users::totp_reset))
        .route("/users/{id}/password", post(users::reset_password))
        .route("/users/{id}/unlock", post(users::unlock))
        .route("/users/{id}/sessions", get(users::sessions))
        .route("/users/{id}/sessions/{session}", delete(users::end_session))
        .route("/login-blocks", get(users::login_blocks))
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
