//! The HTTP contract: the JSON bodies the API answers, as Rust types with their OpenAPI schema
//! (`ToSchema`). Handlers build these from the application's types, so the document describes
//! exactly what is sent, and a change of an access type does not change the API by accident.
//! Dates are ISO `yyyy-mm-dd` strings, moments Unix seconds, labels in the viewer's language.

pub mod admission;
pub mod auth;
pub mod figures;
pub mod inspection;
pub mod life;
pub mod meetings;
pub mod notices;
pub mod records;
pub mod reports;
pub mod restructure;
pub mod review;
pub mod sheets;
pub mod users;

pub use crate::error::{ErrorBody, ErrorDetail, FieldProblem};
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
