//! The SQLite database: opening it (WAL, busy timeout, foreign keys), finding the default file in
//! the OS app-data directory, and versioned migrations. It holds clients, credentials, versions
//! and the audit log; never a secret.

mod integrity;
mod read_only;
mod schema;
mod sql;
mod sqlite;
mod transactions;
mod values;

use sqlite::NotReady;

pub(crate) use schema::STAGED_SECRETS;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::{Error, Result};

pub use integrity::{DatabaseProblem, IntegrityReport};
pub use sql::{Backend, DbError, Dialect, FailureKind, Lock, OptionalRow, Sql, SqlResult, Stmt};
pub use values::{Arg, Cell, FromCell, Row, RowRef, ToArg, args_from};

/// Finds who a database's changes are recorded as made by, on its connection.
pub type ActorSource = Box<dyn Fn(&Sql<'_>) -> Result<String> + Send + Sync>;

/// The app's bundle identifier: the app-data folder the desktop app and the CLI share.
pub const APP_IDENTIFIER: &str = "app.tokenkeeper.desktop";

/// File name of the database inside the app-data folder.
pub const DB_FILE: &str = "tokenkeeper.db";

/// How many migrations this version knows: a database (or backup) past it is from a newer
/// TokenKeeper.
pub const MIGRATION_COUNT: usize = schema::MIGRATIONS.len();

/// How long a writer waits for another process (the app, a script) holding the lock.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// An open TokenKeeper database, migrated to the current schema: the embedded SQLite file, or
/// another engine behind the storage interface ([`Backend`]).
pub struct Db {
    inner: Inner,
    actor: Option<String>,
    /// Finds the actor the first time a change needs it (a team member's name, read with
    /// their key from the keychain): a command that only reads never asks.
    actor_source: Option<ActorSource>,
    /// Why nothing may be written (a copy shown while the team's server is away).
    read_only: Option<String>,
    /// How another engine's database is opened again (its URL, password included: never shown).
    reopen: Option<String>,
}

enum Inner {
    Sqlite(Connection),
    Other(Box<dyn Backend>),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("location", &self.sql().0.location())
            .finish()
    }
}

impl Db {
    /// Where the desktop app keeps its database: `TOKENKEEPER_DB` when set, else
    /// `<data dir>/app.tokenkeeper.desktop/tokenkeeper.db` (the folder Tauri gives the app).
    pub fn default_path() -> Option<PathBuf> {
        if let Some(path) = std::env::var_os("TOKENKEEPER_DB") {
            return Some(PathBuf::from(path));
        }
        dirs::data_dir().map(|d| d.join(APP_IDENTIFIER).join(DB_FILE))
    }

    /// Opens (creating if needed) the database at `path` and migrates it. Opening a current
    /// database never waits for another process writing to it.
    ///
    /// # Errors
    /// [`Error::Io`] when the folder cannot be created, [`Error::Database`] when the file is
    /// from a newer version (nothing in it changed), [`Error::DatabaseDamaged`] when it is
    /// damaged or not a database at all.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.display().to_string(),
                source,
            })?;
        }
        // Several processes opening a new file at once race to switch it to WAL and migrate
        // it: SQLite answers one of them "busy" at once, without waiting, where waiting would
        // deadlock (a reader asking to write while another writer waits for it). That one
        // starts over on a new connection, within the busy time limit.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        let mut pause = Duration::from_millis(5);
        loop {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| match Error::from(e) {
                Error::Database { detail } => Error::Database {
                    detail: format!("{}: {detail}", path.display()),
                },
                other => other,
            })?;
            match Self::init(conn, true) {
                Err(NotReady::Busy(_)) if std::time::Instant::now() + pause < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(200));
                }
                done => return done.map_err(Error::from),
            }
        }
    }

    /// The file this database lives in; `None` in memory.
    pub fn path(&self) -> Option<PathBuf> {
        self.sqlite()?
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }

    /// An in-memory database, for unit tests.
    ///
    /// # Errors
    /// [`Error::Database`] if SQLite fails.
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, false).map_err(Error::from)
    }

    /// Readies a connection without taking the write lock unless the schema is behind: the
    /// version is read first (a shared read, which a writer in WAL mode never blocks), a newer
    /// schema is refused before anything changes, WAL is switched on only when the file is not
    /// in WAL yet, and migrations run only when there is something to migrate.
    fn init(conn: Connection, file: bool) -> std::result::Result<Self, NotReady> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(sqlite::STATEMENT_CACHE);
        schema::register_functions(&conn)?;
        let version = read_version(&conn)?;
        refuse_newer(version)?;
        if file {
            let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
                if !mode.eq_ignore_ascii_case("wal") {
                    return Err(NotReady::Failed(Error::Database {
                        detail: format!("cannot switch the database to WAL mode (got {mode})"),
                    }));
                }
            }
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
        let mut db = Self {
            inner: Inner::Sqlite(conn),
            actor: None,
            actor_source: None,
            read_only: None,
            reopen: None,
        };
        if version < schema::MIGRATIONS.len() {
            db.migrate_schema()?;
        }
        Ok(db)
    }

    /// Applies every migration newer than the file's `user_version`, in one write
    /// transaction. The version is read again inside it: of two processes migrating a new file
    /// at once, the second finds the work done.
    pub(crate) fn migrate(&mut self) -> Result<()> {
        self.migrate_schema().map_err(Error::from)
    }

    fn migrate_schema(&mut self) -> std::result::Result<(), NotReady> {
        let Inner::Sqlite(conn) = &mut self.inner else {
            return Ok(());
        };
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version = read_version(&tx)?;
        refuse_newer(version)?;
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)?;
            tx.pragma_update(
                None,
                "user_version",
                i64::try_from(i + 1).unwrap_or(i64::MAX),
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The schema version after migration.
    ///
    /// # Errors
    /// [`Error::Database`] if SQLite fails.
    pub fn schema_version(&self) -> Result<usize> {
        Ok(self.sql().0.schema_version()?)
    }

    /// A number that changes whenever another connection (another window, the command line)
    /// commits to the database: the scheduler compares it to notice changes it did not make.
    ///
    /// # Errors
    /// [`Error::Database`] if SQLite fails.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.sql().0.change_stamp()?.0)
    }

    /// A stamp that moves whenever anyone commits to the database: another connection (the data
    /// version) or this one (its count of changed rows). A cache built from the data stays good
    /// while the stamp stays the same.
    ///
    /// # Errors
    /// [`Error::Database`] if SQLite fails.
    pub fn change_stamp(&self) -> Result<(i64, u64)> {
        Ok(self.sql().0.change_stamp()?)
    }

    /// Wraps another engine's connection, opened and migrated by its own crate; `reopen` is
    /// how it was opened (see [`Db::reopen_location`]).
    pub fn from_backend(backend: Box<dyn Backend>, reopen: String) -> Self {
        Self {
            inner: Inner::Other(backend),
            actor: None,
            actor_source: None,
            read_only: None,
            reopen: Some(reopen),
        }
    }

    /// Where to open this database again: its file, or the server's URL as it was given
    /// (password included: for opening, never for showing).
    pub fn reopen_location(&self) -> Option<PathBuf> {
        self.path()
            .or_else(|| self.reopen.clone().map(PathBuf::from))
    }

    /// Where the data is, for messages and for naming it: the file's path, or the server's URL
    /// without its password.
    pub fn location(&self) -> String {
        self.sql().0.location()
    }

    /// Which engine holds the data.
    pub fn dialect(&self) -> Dialect {
        self.sql().dialect()
    }

    /// Statements outside a transaction, for reads.
    pub fn sql(&self) -> Sql<'_> {
        let actor = self.actor.as_deref();
        match &self.inner {
            Inner::Sqlite(conn) => Sql(conn, actor),
            Inner::Other(backend) => Sql(backend.as_ref(), actor),
        }
    }

    /// Frees the memory of SQLite's page cache for this connection (`sqlite3_db_release_memory`):
    /// after a pass over every credential the cache holds the last pages read, which the next
    /// pass does not start with. Another engine keeps no such cache here. Best effort: SQLite
    /// frees what it can and reports no failure that would matter.
    pub fn release_memory(&self) {
        if let Inner::Sqlite(conn) = &self.inner {
            let _ = conn.release_memory();
        }
    }

    /// The SQLite connection, for what only the embedded file does (a backup of the whole file,
    /// its integrity check); `None` on another engine.
    pub(crate) fn sqlite(&self) -> Option<&Connection> {
        match &self.inner {
            Inner::Sqlite(conn) => Some(conn),
            Inner::Other(_) => None,
        }
    }

    /// The SQLite connection, for a restore that replaces the whole file.
    pub(crate) fn sqlite_mut(&mut self) -> Option<&mut Connection> {
        match &mut self.inner {
            Inner::Sqlite(conn) => Some(conn),
            Inner::Other(_) => None,
        }
    }
}

/// The schema version recorded in the file (0 for a new file).
fn read_version(conn: &Connection) -> rusqlite::Result<usize> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(usize::try_from(version).unwrap_or(usize::MAX))
}

/// Refuses a file written by a newer TokenKeeper, before anything in it is changed.
fn refuse_newer(version: usize) -> Result<()> {
    if version > schema::MIGRATIONS.len() {
        return Err(Error::Database {
            detail: format!(
                "this database was written by a newer TokenKeeper (schema {version}); update TokenKeeper"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
