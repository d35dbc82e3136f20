//! The embedded backend: one SQLite file (or memory, in unit tests) behind the storage interface.

use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode};

use super::BUSY_TIMEOUT;
use super::sql::{Backend, DbError, Dialect, FailureKind, Lock, SqlResult};
use super::values::{Arg, Cell, RowRef};
use crate::error::Error;

/// How many prepared statements a connection keeps: every statement the vault runs, so none is
/// parsed twice.
pub(super) const STATEMENT_CACHE: usize = 128;

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        let kind = match &e {
            rusqlite::Error::QueryReturnedNoRows => FailureKind::NoRow,
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => FailureKind::Type,
            _ => match e.sqlite_error_code() {
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => FailureKind::Busy,
                Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => FailureKind::Damaged,
                Some(ErrorCode::ConstraintViolation) => FailureKind::Constraint,
                _ => FailureKind::Other,
            },
        };
        DbError::new(kind, e.to_string())
    }
}

fn bind<'a>(args: &'a [Arg<'a>]) -> impl rusqlite::Params + 'a {
    rusqlite::params_from_iter(args.iter().map(|a| match *a {
        Arg::Null => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Null),
        Arg::Int(i) => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Integer(i)),
        Arg::Real(r) => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Real(r)),
        Arg::Text(s) => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        Arg::Blob(b) => rusqlite::types::ToSqlOutput::Borrowed(ValueRef::Blob(b)),
    }))
}

impl RowRef for rusqlite::Row<'_> {
    fn cell(&self, i: usize) -> SqlResult<Cell<'_>> {
        Ok(match self.get_ref(i)? {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Int(i),
            ValueRef::Real(r) => Cell::Real(r),
            ValueRef::Text(t) => Cell::Text(std::str::from_utf8(t).map_err(|e| {
                DbError::new(
                    FailureKind::Type,
                    format!("column {i} holds text that is not UTF-8: {e}"),
                )
            })?),
            ValueRef::Blob(b) => Cell::Blob(b),
        })
    }
}

impl Backend for Connection {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn location(&self) -> String {
        match self.path() {
            Some(p) if !p.is_empty() => p.to_owned(),
            _ => ":memory:".to_owned(),
        }
    }

    fn execute(&self, sql: &str, args: &[Arg<'_>]) -> SqlResult<usize> {
        Ok(self.prepare_cached(sql)?.execute(bind(args))?)
    }

    fn execute_batch(&self, sql: &str) -> SqlResult<()> {
        Ok(Connection::execute_batch(self, sql)?)
    }

    fn query(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        each: &mut dyn FnMut(&dyn RowRef) -> SqlResult<bool>,
    ) -> SqlResult<()> {
        let mut stmt = self.prepare_cached(sql)?;
        let mut rows = stmt.query(bind(args))?;
        while let Some(row) = rows.next()? {
            if !each(row)? {
                break;
            }
        }
        Ok(())
    }

    fn begin(&self, lock: Lock) -> SqlResult<bool> {
        match lock {
            Lock::Read => {
                Connection::execute_batch(self, "BEGIN DEFERRED")?;
                Ok(true)
            }
            Lock::Write => {
                Connection::execute_batch(self, "BEGIN IMMEDIATE")?;
                Ok(true)
            }
            Lock::TryWrite => {
                self.busy_timeout(Duration::ZERO)?;
                let began = Connection::execute_batch(self, "BEGIN IMMEDIATE");
                // Once the lock is held, the commit may still wait for readers.
                self.busy_timeout(BUSY_TIMEOUT)?;
                match began {
                    Ok(()) => Ok(true),
                    Err(e) => {
                        let e = DbError::from(e);
                        if e.kind == FailureKind::Busy {
                            Ok(false)
                        } else {
                            Err(e)
                        }
                    }
                }
            }
        }
    }

    fn commit(&self) -> SqlResult<()> {
        Ok(Connection::execute_batch(self, "COMMIT")?)
    }

    fn rollback(&self) -> SqlResult<()> {
        if self.is_autocommit() {
            return Ok(());
        }
        Ok(Connection::execute_batch(self, "ROLLBACK")?)
    }

    fn change_stamp(&self) -> SqlResult<(i64, u64)> {
        let version: i64 = self.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((version, self.total_changes()))
    }

    fn schema_version(&self) -> SqlResult<usize> {
        let v: i64 = self.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok(usize::try_from(v).unwrap_or(usize::MAX))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        if is_damage(&e) {
            return Error::DatabaseDamaged {
                detail: e.to_string(),
            };
        }
        Error::Database {
            detail: e.to_string(),
        }
    }
}

/// Whether SQLite says the file itself is damaged (a bad page, not a database at all), as
/// opposed to a failure the next attempt may not meet (busy, full disk).
pub(super) fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// Why a connection could not be readied: SQLite answered busy (a new connection may succeed
/// where this one would deadlock), or anything else.
pub(super) enum NotReady {
    Busy(rusqlite::Error),
    Failed(Error),
}

impl From<rusqlite::Error> for NotReady {
    fn from(e: rusqlite::Error) -> Self {
        if is_busy(&e) {
            NotReady::Busy(e)
        } else {
            NotReady::Failed(e.into())
        }
    }
}

impl From<Error> for NotReady {
    fn from(e: Error) -> Self {
        NotReady::Failed(e)
    }
}

impl From<NotReady> for Error {
    fn from(e: NotReady) -> Self {
        match e {
            NotReady::Busy(e) => e.into(),
            NotReady::Failed(e) => e,
        }
    }
}

/// Whether another connection holds the lock this statement needed.
pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}
