//! The HTTP contract: the JSON bodies the API answers, as Rust types with their OpenAPI schema
//! (`ToSchema`). Handlers build these from the application's types, so the document describes
//! exactly what is sent, and a change of an access type does not change the API by accident.
//! Dates are ISO `yyyy-mm-dd` strings, moments Unix seconds, labels in the viewer's language.

pub mod admission;
pub mod auth;
pub mod figures;
pub mod life;
pub mod meetings;
pub mod notices;
pub mod records;
pub mod reports;
pub mod restructure;
pub mod sheets;
pub mod users;

use serde::Serialize;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// An ISO date (`yyyy-mm-dd`).
pub(crate) fn iso(d: Date) -> String {
    d.to_string()
}

/// An optional ISO date.
pub(crate) fn iso_opt(d: Option<Date>) -> Option<String> {
    d.map(iso)
}

/// A refusal: `{"error": {code, message, field, details?}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable code (`not_found`, `forbidden`, `required`, `invalid_date`, `stale`, …).
    pub code: String,
    /// The explanation in the request's language (Vietnamese unless `Accept-Language: en`).
    pub message: String,
    /// The field the refusal is about, in the names of the request.
    pub field: Option<String>,
    /// Every field error, when there is more than one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<FieldProblem>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// `{"ok": true}`: done, nothing more to say.
#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    pub ok: bool,
}

impl Done {
    pub const YES: Done = Done { ok: true };
}

/// The id of what was removed.
#[derive(Debug, Serialize, ToSchema)]
pub struct Deleted {
    pub deleted: Uuid,
}

/// A list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

impl<T> Items<T> {
    pub fn of<S>(list: impl IntoIterator<Item = S>, f: impl FnMut(S) -> T) -> Items<T> {
        Items { items: list.into_iter().map(f).collect() }
    }
}

/// A list for one year (`?year=`).
#[derive(Debug, Serialize, ToSchema)]
pub struct YearItems<T> {
    pub year: i32,
    pub items: Vec<T>,
}

/// Years, months and days.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyAge {
    pub years: i32,
    pub months: i32,
    pub days: i64,
}

impl From<&chibo_access::domain::life::PartyAge> for PartyAge {
    fn from(a: &chibo_access::domain::life::PartyAge) -> Self {
        PartyAge { years: a.years, months: a.months, days: a.days }
    }
}
