use thiserror::Error;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
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
    /// A text argument holds a NUL character (U+0000), which PostgreSQL cannot store; refused
    /// the same way on both engines (bad input, never a database failure).
    #[error("a text value holds a NUL character")]
    NulInText,
    /// Stored data that the domain cannot read (a bug or a hand edit).
    #[error("corrupt record: {0}")]
    Corrupt(String),
}

impl StoreError {
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
