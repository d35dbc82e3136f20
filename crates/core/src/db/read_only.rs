//! A database opened to be read only: a copy of a team's vault shown while its server is away.
//! Every write transaction is refused with the reason given; bookkeeping a read can do without
//! (a state change noticed on the way) is skipped.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Db, Inner, read_version, refuse_newer, schema};
use crate::error::{Error, Result};

impl Db {
    /// Opens the SQLite file at `path` without ever writing to it: no journal, no migration,
    /// every write transaction refused with `reason` ([`Error::ReadOnly`]).
    ///
    /// # Errors
    /// [`Error::Database`] when the file cannot be opened or was written by another version of
    /// TokenKeeper (a copy is made again rather than migrated); [`Error::DatabaseDamaged`].
    pub fn open_read_only(path: &Path, reason: String) -> Result<Self> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| match Error::from(e) {
            Error::Database { detail } => Error::Database {
                detail: format!("{}: {detail}", path.display()),
            },
            other => other,
        })?;
        conn.set_prepared_statement_cache_capacity(super::sqlite::STATEMENT_CACHE);
        schema::register_functions(&conn)?;
        let version = read_version(&conn)?;
        refuse_newer(version)?;
        if version < schema::MIGRATIONS.len() {
            return Err(Error::Database {
                detail: format!(
                    "{}: written by an older TokenKeeper (schema {version})",
                    path.display()
                ),
            });
        }
        Ok(Self {
            inner: Inner::Sqlite(conn),
            actor: None,
            actor_source: None,
            read_only: Some(reason),
            reopen: None,
        })
    }

    /// Why nothing can be written here, when that is so.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }
}
