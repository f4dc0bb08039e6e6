//! Many rows inserted into one table at once (the demo load, an import): PostgreSQL takes
//! them by `COPY … FROM STDIN`, SQLite by multi-row `INSERT` statements. On PostgreSQL a
//! statement of thousands of rows is parsed, planned and bound argument by argument; `COPY`
//! streams the rows as text into the table's own insert path, with its indexes, constraints and
//! foreign keys checked as an `INSERT` checks them (docs/BENCHMARKS.md: the loader's members).

use crate::StoreError;
use crate::copy_rows::CopyRows;
use crate::db::{self, Arg, Engine, Exec, Sql, dynamic_sql, values_rows};

/// Rows bound for `table`'s `columns` (comma-separated), their arguments pushed in order, row
/// after row; [`InsertRows::run`] writes them.
pub(crate) struct InsertRows {
    table: &'static str,
    columns: String,
    width: usize,
    args: Vec<Arg>,
}

/// Where a row's arguments go, one after another: a statement's binds ([`Sql`]) or the rows of
/// an [`InsertRows`]. One function binds a row for an `UPDATE` and for a bulk insert alike.
pub(crate) trait PushArg {
    fn push_arg(&mut self, a: impl Into<Arg>);
}

impl PushArg for Sql {
    fn push_arg(&mut self, a: impl Into<Arg>) {
        Sql::push_arg(self, a);
    }
}

impl PushArg for InsertRows {
    fn push_arg(&mut self, a: impl Into<Arg>) {
        self.push(a);
    }
}

/// Rows per `COPY` (a few megabytes of text).
const COPY_ROWS: usize = 20_000;

impl InsertRows {
    pub(crate) fn new(table: &'static str, columns: &str) -> InsertRows {
        let width = columns.split(',').count();
        InsertRows { table, columns: columns.to_string(), width, args: Vec::new() }
    }

    /// Room for `rows` rows.
    pub(crate) fn with_rows(mut self, rows: usize) -> InsertRows {
        self.args.reserve(rows * self.width);
        self
    }

    pub(crate) fn push(&mut self, a: impl Into<Arg>) {
        self.args.push(a.into());
    }

    /// Write the rows. A few rows (a form's record) go by `INSERT` on both engines: one round
    /// trip with a prepared statement, where `COPY` takes two.
    pub(crate) async fn run(self, e: &mut impl Exec) -> Result<(), StoreError> {
        let InsertRows { table, columns, width, args } = self;
        if args.len() % width != 0 {
            return Err(StoreError::Corrupt(format!(
                "{} arguments for rows of {width} columns of {table}",
                args.len()
            )));
        }
        let rows = args.len() / width;
        if rows == 0 {
            return Ok(());
        }
        db::refuse_nul(&args)?;
        if e.engine() == Engine::Postgres && rows > db::FEW_ROWS {
            for chunk in args.chunks(COPY_ROWS * width) {
                let mut copy = CopyRows::new();
                for row in chunk.chunks(width) {
                    for a in row {
                        copy.arg(a);
                    }
                    copy.end();
                }
                copy.send(e, table, &columns).await?;
            }
            return Ok(());
        }
        let per = db::rows_per_statement(width);
        let mut args = args.into_iter();
        let mut left = rows;
        while left > 0 {
            let n = left.min(per);
            let mut q =
                dynamic_sql(format!("INSERT INTO {table} ({columns}) VALUES {}", values_rows(e.engine(), n, width)));
            for a in args.by_ref().take(n * width) {
                q.push_arg(a);
            }
            q.execute_chunk(e, n, per).await?;
            left -= n;
        }
        Ok(())
    }
}
