use thiserror::Error;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("not a database URL (use sqlite://PATH or postgres://…): {0}")]
    BadUrl(String),
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the field that must be unique.
    #[error("already exists: {field}")]
    Duplicate { field: &'static str },
    /// The record changed since it was read (optimistic concurrency).
    #[error("changed by someone else")]
    Stale,
    /// The database refused the transaction because of a concurrent one (PostgreSQL
    /// serialization failure or deadlock, SQLite busy): running it again resolves it.
    #[error("conflict with a concurrent transaction")]
    Conflict,
    /// A text argument holds a NUL character (U+0000), which PostgreSQL cannot store; refused
    /// the same way on both engines (bad input, never a database failure).
    #[error("a text value holds a NUL character")]
    NulInText,
    /// The session a write was asked from ended before the write could be recorded
    /// (`audit::record`).
    #[error("the session has ended")]
    SessionEnded,
    /// Stored data that the domain cannot read (a bug or a hand edit).
    #[error("corrupt record: {0}")]
    Corrupt(String),
}

/// SQLSTATEs (PostgreSQL) and result codes (SQLite) of a transaction that lost to a
/// concurrent one: serialization failure, deadlock, a lock not granted within its wait
/// (`Pools::begin`), busy, locked.
const TRANSIENT_CODES: &[&str] = &["40001", "40P01", "55P03", "5", "6", "517"];

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        let transient =
            e.as_database_error().and_then(|d| d.code()).is_some_and(|c| TRANSIENT_CODES.contains(&c.as_ref()));
        if transient { StoreError::Conflict } else { StoreError::Db(e) }
    }
}

impl StoreError {
    /// Whether running the transaction again may succeed: a conflict with a concurrent
    /// transaction, or a uniqueness rule broken by a row that a concurrent transaction
    /// committed after this one checked for it (checks precede inserts everywhere, so a
    /// violation that reaches the database is a race, not a user's duplicate).
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Conflict => true,
            StoreError::Db(e) => e.as_database_error().is_some_and(|d| d.is_unique_violation()),
            _ => false,
        }
    }

    /// Map a unique-constraint violation to the field it concerns.
    pub fn from_unique(e: sqlx::Error, fields: &[&'static str]) -> StoreError {
        if let Some(db) = e.as_database_error()
            && db.is_unique_violation()
        {
            let text = format!("{} {}", db.message(), db.constraint().unwrap_or(""));
            if let Some(f) = fields.iter().find(|f| text.contains(*f)) {
                return StoreError::Duplicate { field: f };
            }
        }
        StoreError::Db(e)
    }
}

/// The one bridge from a store failure to the application's refusal: not-found and conflicts
/// keep their meaning, a transaction that lost a race becomes the refusal the write retry
/// runs again on, the rest means the records cannot be reached now (logged).
impl From<StoreError> for chibo_domain::Problem {
    fn from(e: StoreError) -> chibo_domain::Problem {
        use chibo_domain::{FieldError, Problem};
        match e {
            StoreError::NotFound => Problem::NotFound,
            StoreError::SessionEnded => Problem::Unauthenticated,
            StoreError::Stale => Problem::stale(),
            StoreError::Duplicate { field } => Problem::Conflict(FieldError::duplicate(field)),
            e if e.is_transient() => Problem::concurrent(),
            StoreError::NulInText => Problem::nul_in_text(),
            other => {
                tracing::error!(error = %other, "store failure");
                Problem::Unavailable(other.to_string())
            }
        }
    }
}
