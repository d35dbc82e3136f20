//! The storage interface's methods on a PostgreSQL connection: statements, and transactions
//! whose locks make writers queue as they do on SQLite.

use tokenkeeper_core::db::{Arg, Backend, Dialect, Lock, RowRef, SqlResult};

use crate::values::{Param, PgRow};
use crate::{CHANGES_CHANNEL, Postgres, TRY_WRITE_LOCK, WRITE_LOCK};

fn params<'a>(args: &'a [Arg<'a>]) -> Vec<Param<'a>> {
    args.iter().map(|a| Param(*a)).collect()
}

fn refs<'a>(params: &'a [Param<'a>]) -> Vec<&'a (dyn postgres::types::ToSql + Sync)> {
    params
        .iter()
        .map(|p| p as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

impl Backend for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn location(&self) -> String {
        self.location.clone()
    }

    fn execute(&self, sql: &str, args: &[Arg<'_>]) -> SqlResult<usize> {
        let params = params(args);
        let params = refs(&params);
        let n = self.with_statement(sql, |client, statement| client.execute(statement, &params))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn execute_batch(&self, sql: &str) -> SqlResult<()> {
        self.batch(sql)
    }

    fn query(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        each: &mut dyn FnMut(&dyn RowRef) -> SqlResult<bool>,
    ) -> SqlResult<()> {
        let params = params(args);
        let params = refs(&params);
        // Every row is read before the first is handed over: the connection is free again when
        // `each` runs (it may run statements of its own, as it can on SQLite).
        let rows =
            self.with_statement(sql, |client, statement| client.query(statement, &params))?;
        for row in &rows {
            if !each(&PgRow(row))? {
                break;
            }
        }
        Ok(())
    }

    fn begin(&self, lock: Lock) -> SqlResult<bool> {
        match lock {
            Lock::Write => {
                let began = self.batch(&format!(
                    "BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
                ));
                if let Err(e) = began {
                    // The lock timed out (busy) inside the transaction just begun.
                    let _ = self.batch("ROLLBACK");
                    return Err(e);
                }
            }
            Lock::TryWrite => {
                self.batch("BEGIN")?;
                let got: SqlResult<bool> = self.scalar(TRY_WRITE_LOCK);
                if !matches!(got, Ok(true)) {
                    let _ = self.batch("ROLLBACK");
                    return got;
                }
            }
            Lock::Read => self.batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?,
        }
        self.open.set(Some(lock));
        Ok(true)
    }

    fn commit(&self) -> SqlResult<()> {
        let Some(lock) = self.open.take() else {
            return Ok(());
        };
        let sql = match lock {
            Lock::Read => "COMMIT".to_owned(),
            Lock::Write | Lock::TryWrite => format!(
                "UPDATE tokenkeeper_meta SET changes = changes + 1; NOTIFY {CHANGES_CHANNEL}; COMMIT"
            ),
        };
        let done = self.batch(&sql);
        if done.is_err() {
            let _ = self.batch("ROLLBACK");
        }
        done
    }

    fn rollback(&self) -> SqlResult<()> {
        if self.open.take().is_none() {
            return Ok(());
        }
        self.batch("ROLLBACK")
    }

    fn change_stamp(&self) -> SqlResult<(i64, u64)> {
        let changes: i64 = self.scalar("SELECT changes FROM tokenkeeper_meta")?;
        Ok((changes, 0))
    }

    fn schema_version(&self) -> SqlResult<usize> {
        self.read_version()
    }
}
