//! The storage interface: what the vault asks of a database, whichever engine holds it. The
//! embedded SQLite file implements it here; the team's PostgreSQL database implements it in
//! `tokenkeeper-store-postgres`. The vault writes each statement once, in the SQL both engines
//! share (`?1` parameters, `ON CONFLICT`, `RETURNING`, `IS DISTINCT FROM`, `COLLATE NOCASE`);
//! a backend translates what it must.

use std::fmt;

use super::values::{Arg, Cell, Row, RowRef};

/// Which engine answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The embedded file.
    Sqlite,
    /// A shared server.
    Postgres,
}

/// How a transaction starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// The write lock, waiting for it (writers queue: every write sees the last one's result).
    Write,
    /// The write lock only if it is free at once; otherwise no transaction is started.
    TryWrite,
    /// A read-only snapshot: every statement sees the same committed state.
    Read,
}

/// Why a statement failed, as far as the vault needs to tell failures apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Another connection holds a lock this one needs.
    Busy,
    /// A unique, check or foreign-key constraint refused the change.
    Constraint,
    /// The stored data itself is damaged (a bad page, not a database at all).
    Damaged,
    /// The server cannot be reached (network, server stopped, connection lost).
    Unavailable,
    /// A value read does not have the type asked for.
    Type,
    /// A statement that should have found a row found none.
    NoRow,
    /// Anything else.
    Other,
}

/// A failed statement: its kind and the engine's message (never a parameter's value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbError {
    /// What went wrong, coarsely.
    pub kind: FailureKind,
    /// The engine's words.
    pub detail: String,
}

impl DbError {
    /// A failure of `kind` described by `detail`.
    pub fn new(kind: FailureKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }

    /// Whether a constraint refused the change (a duplicate name, say).
    pub fn is_constraint(&self) -> bool {
        self.kind == FailureKind::Constraint
    }

    fn no_row() -> Self {
        Self::new(FailureKind::NoRow, "query returned no rows")
    }

    pub(super) fn type_mismatch(column: usize, wanted: &str, found: &Cell<'_>) -> Self {
        Self::new(
            FailureKind::Type,
            format!(
                "column {column} holds {} where {wanted} was expected",
                found.type_name()
            ),
        )
    }
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for DbError {}

impl From<DbError> for crate::Error {
    fn from(e: DbError) -> Self {
        match e.kind {
            FailureKind::Damaged => crate::Error::DatabaseDamaged { detail: e.detail },
            FailureKind::Unavailable => crate::Error::ServerUnavailable { detail: e.detail },
            _ => crate::Error::Database { detail: e.detail },
        }
    }
}

/// Results of statements.
pub type SqlResult<T> = std::result::Result<T, DbError>;

/// A database engine, as the vault uses it. Every method takes `&self`: a backend that needs
/// exclusive access to its connection keeps it in a cell (a [`crate::db::Db`] is used by one
/// thread at a time).
pub trait Backend: Send {
    /// Which engine this is.
    fn dialect(&self) -> Dialect;

    /// Where the data is, for messages: a file path, or a server URL without its password.
    fn location(&self) -> String;

    /// Runs one statement; how many rows it changed.
    ///
    /// # Errors
    /// The engine's failure.
    fn execute(&self, sql: &str, args: &[Arg<'_>]) -> SqlResult<usize>;

    /// Runs statements without parameters, separated by semicolons.
    ///
    /// # Errors
    /// The engine's failure.
    fn execute_batch(&self, sql: &str) -> SqlResult<()>;

    /// Runs a query and hands each row to `each` until it returns `false` or the rows end.
    ///
    /// # Errors
    /// The engine's failure, or the first failure `each` returns.
    fn query(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        each: &mut dyn FnMut(&dyn RowRef) -> SqlResult<bool>,
    ) -> SqlResult<()>;

    /// Starts a transaction with `lock`. `Ok(false)`: [`Lock::TryWrite`] found the lock taken,
    /// and no transaction was started.
    ///
    /// # Errors
    /// The engine's failure.
    fn begin(&self, lock: Lock) -> SqlResult<bool>;

    /// Commits the open transaction.
    ///
    /// # Errors
    /// The engine's failure; the transaction is then rolled back.
    fn commit(&self) -> SqlResult<()>;

    /// Rolls the open transaction back.
    ///
    /// # Errors
    /// The engine's failure.
    fn rollback(&self) -> SqlResult<()>;

    /// A stamp that moves whenever anyone commits a change: a cache built from the data stays
    /// good while it stays the same.
    ///
    /// # Errors
    /// The engine's failure.
    fn change_stamp(&self) -> SqlResult<(i64, u64)>;

    /// How many migrations the data has had.
    ///
    /// # Errors
    /// The engine's failure.
    fn schema_version(&self) -> SqlResult<usize>;
}

/// Statements on one connection or inside one transaction: what the vault's code is handed,
/// with who is making them (a team member's name; `None` on one technician's own vault).
#[derive(Clone, Copy)]
pub struct Sql<'c>(pub(crate) &'c dyn Backend, pub(crate) Option<&'c str>);

impl fmt::Debug for Sql<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Sql").field(&self.0.location()).finish()
    }
}

impl<'c> Sql<'c> {
    /// Wraps a backend.
    pub fn new(backend: &'c dyn Backend) -> Self {
        Self(backend, None)
    }

    /// Who makes these statements: the team member recorded with each event.
    pub fn actor(&self) -> Option<&'c str> {
        self.1
    }

    /// Which engine answers.
    pub fn dialect(&self) -> Dialect {
        self.0.dialect()
    }

    /// Runs one statement; how many rows it changed.
    ///
    /// # Errors
    /// The engine's failure.
    pub fn execute(&self, sql: &str, args: &[Arg<'_>]) -> SqlResult<usize> {
        self.0.execute(sql, args)
    }

    /// Runs statements without parameters.
    ///
    /// # Errors
    /// The engine's failure.
    pub fn execute_batch(&self, sql: &str) -> SqlResult<()> {
        self.0.execute_batch(sql)
    }

    /// The first row, read by `f`; a [`FailureKind::NoRow`] failure when there is none.
    ///
    /// # Errors
    /// The engine's failure, no row, or `f`'s failure.
    pub fn query_row<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        f: impl FnOnce(&Row<'_>) -> SqlResult<T>,
    ) -> SqlResult<T> {
        self.query_opt(sql, args, f)?.ok_or_else(DbError::no_row)
    }

    /// The first row read by `f`, or `None` when there is none.
    ///
    /// # Errors
    /// The engine's failure or `f`'s failure.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        f: impl FnOnce(&Row<'_>) -> SqlResult<T>,
    ) -> SqlResult<Option<T>> {
        let mut f = Some(f);
        let mut found = None;
        self.0.query(sql, args, &mut |row| {
            if let Some(f) = f.take() {
                found = Some(f(&Row(row))?);
            }
            Ok(false)
        })?;
        Ok(found)
    }

    /// Every row, each read by `f`.
    ///
    /// # Errors
    /// The engine's failure or `f`'s first failure.
    pub fn query_map<T>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        mut f: impl FnMut(&Row<'_>) -> SqlResult<T>,
    ) -> SqlResult<Vec<T>> {
        let mut out = Vec::new();
        self.0.query(sql, args, &mut |row| {
            out.push(f(&Row(row))?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// Hands every row to `f`, which returns `false` to stop early (or fails, which stops too).
    ///
    /// # Errors
    /// The engine's failure or `f`'s first failure.
    pub fn query_each<E: From<DbError>>(
        &self,
        sql: &str,
        args: &[Arg<'_>],
        mut f: impl FnMut(&Row<'_>) -> Result<bool, E>,
    ) -> Result<(), E> {
        // The callback's own error waits here while the backend is told to stop.
        let mut failed = None;
        let done = self.0.query(sql, args, &mut |row| match f(&Row(row)) {
            Ok(go_on) => Ok(go_on),
            Err(e) => {
                failed = Some(e);
                Ok(false)
            }
        });
        match failed {
            Some(e) => Err(e),
            None => done.map_err(E::from),
        }
    }
}

impl<'c> Sql<'c> {
    /// A statement to run once or several times (backends cache what they prepare).
    ///
    /// # Errors
    /// Never today; kept fallible like a real prepare.
    pub fn prepare(&self, sql: &str) -> SqlResult<Stmt<'c>> {
        Ok(Stmt {
            db: *self,
            sql: sql.to_owned(),
        })
    }
}

/// A statement bound to its connection, run with [`Stmt::query_map`] or [`Stmt::execute`].
pub struct Stmt<'c> {
    db: Sql<'c>,
    sql: String,
}

impl Stmt<'_> {
    /// Every row read by `f`: the values up to the first failure, then that failure.
    ///
    /// # Errors
    /// The engine's failure before the first row.
    pub fn query_map<T>(
        &mut self,
        args: &[Arg<'_>],
        mut f: impl FnMut(&Row<'_>) -> SqlResult<T>,
    ) -> SqlResult<std::vec::IntoIter<SqlResult<T>>> {
        let mut out = Vec::new();
        let done = self.db.0.query(&self.sql, args, &mut |row| {
            out.push(f(&Row(row)));
            Ok(out.last().is_some_and(Result::is_ok))
        });
        if let Err(e) = done {
            out.push(Err(e));
        }
        Ok(out.into_iter())
    }

    /// Hands every row to `f`, which returns `false` to stop early (or fails, which stops too).
    ///
    /// # Errors
    /// The engine's failure or `f`'s first failure.
    pub fn query_each<E: From<DbError>>(
        &mut self,
        args: &[Arg<'_>],
        f: impl FnMut(&Row<'_>) -> Result<bool, E>,
    ) -> Result<(), E> {
        self.db.query_each(&self.sql, args, f)
    }

    /// Runs the statement; how many rows it changed.
    ///
    /// # Errors
    /// The engine's failure.
    pub fn execute(&mut self, args: &[Arg<'_>]) -> SqlResult<usize> {
        self.db.0.execute(&self.sql, args)
    }

    /// The first row read by `f`.
    ///
    /// # Errors
    /// The engine's failure, no row, or `f`'s failure.
    pub fn query_row<T>(
        &mut self,
        args: &[Arg<'_>],
        f: impl FnOnce(&Row<'_>) -> SqlResult<T>,
    ) -> SqlResult<T> {
        self.db.query_row(&self.sql, args, f)
    }
}

/// `.optional()` on a [`Sql::query_row`] result: no row becomes `None`.
pub trait OptionalRow<T> {
    /// `Ok(None)` instead of a [`FailureKind::NoRow`] failure.
    ///
    /// # Errors
    /// Every other failure.
    fn optional(self) -> SqlResult<Option<T>>;
}

impl<T> OptionalRow<T> for SqlResult<T> {
    fn optional(self) -> SqlResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind == FailureKind::NoRow => Ok(None),
            Err(e) => Err(e),
        }
    }
}
