//! Foreign keys set aside during a bulk load on PostgreSQL.
//!
//! PostgreSQL checks a foreign key with a trigger per inserted row; for the millions of rows of
//! a bulk load that is most of the time (docs/BENCHMARKS.md: 1 million attendance lines took
//! 5.3 s without their two keys, 20.6 s with them). A load therefore drops the keys of the
//! tables it writes ([`set_aside`]) and adds them back at its end ([`restore`]): adding a key
//! checks every row at once, so nothing the load wrote escapes the check. Each key dropped is
//! recorded in `bulk_foreign_keys` in the same transaction, so a load stopped half-way loses
//! none: the next load empties the tables (`loads::clear`) and adds them back first, and until
//! then the database is refused as a load stopped half-way.
//!
//! SQLite checks a key with one index lookup per row and cannot drop one without rebuilding
//! its table; there both functions do nothing.

use crate::StoreError;
use crate::db::{Engine, Exec, dynamic_sql, sql};

#[derive(sqlx::FromRow)]
struct Key {
    table_name: String,
    name: String,
    definition: String,
}

/// The foreign keys of the schema (PostgreSQL; none listed on SQLite): (table, name, definition).
pub async fn current(e: &mut impl Exec) -> Result<Vec<(String, String, String)>, StoreError> {
    Ok(declared(e).await?.into_iter().map(|k| (k.table_name, k.name, k.definition)).collect())
}

/// How many keys are set aside (a load stopped half-way).
pub async fn set_aside_count(e: &mut impl Exec) -> Result<i64, StoreError> {
    sql("SELECT COUNT(*) FROM bulk_foreign_keys").fetch_i64(e).await
}

async fn declared(e: &mut impl Exec) -> Result<Vec<Key>, StoreError> {
    if e.engine() != Engine::Postgres {
        return Ok(Vec::new());
    }
    sql("SELECT c.conrelid::regclass::text AS table_name, c.conname::text AS name, \
         pg_get_constraintdef(c.oid) AS definition \
         FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace \
         ORDER BY 1, 2")
    .fetch_all(e)
    .await
}

/// Drop (PostgreSQL) the foreign keys of `tables` (those a load writes), recording each; how many.
pub async fn set_aside(e: &mut impl Exec, tables: &[&str]) -> Result<usize, StoreError> {
    let keys: Vec<Key> =
        declared(&mut *e).await?.into_iter().filter(|k| tables.contains(&k.table_name.as_str())).collect();
    for k in &keys {
        sql("INSERT INTO bulk_foreign_keys (table_name, name, definition) VALUES ($1, $2, $3)")
            .bind(k.table_name.as_str())
            .bind(k.name.as_str())
            .bind(k.definition.as_str())
            .execute(&mut *e)
            .await?;
        dynamic_sql(format!("ALTER TABLE {} DROP CONSTRAINT \"{}\"", k.table_name, k.name)).execute(&mut *e).await?;
    }
    Ok(keys.len())
}

/// Add back every key set aside, each checking every row of its table; how many. Fails, and
/// changes nothing, if a row refers to nothing.
pub async fn restore(e: &mut impl Exec) -> Result<usize, StoreError> {
    let keys: Vec<Key> = sql("SELECT table_name, name, definition FROM bulk_foreign_keys ORDER BY table_name, name")
        .fetch_all(&mut *e)
        .await?;
    for k in &keys {
        dynamic_sql(format!("ALTER TABLE {} ADD CONSTRAINT \"{}\" {}", k.table_name, k.name, k.definition))
            .execute(&mut *e)
            .await?;
    }
    sql("DELETE FROM bulk_foreign_keys").execute(&mut *e).await?;
    Ok(keys.len())
}
