//! TokenKeeper's PostgreSQL backend: the core's storage interface ([`Backend`]) on a team's
//! shared server, so the vault's SQL (written once, SQLite-flavoured) runs unchanged. This crate
//! owns the connection (URL, TLS), the translation of `?N` parameters, the mapping of values and
//! errors, the transaction locks that make writers queue as they do on SQLite, and the
//! PostgreSQL twin of the schema.

mod backend;
mod errors;
mod listen;
mod placeholders;
mod schema;
mod team;
#[cfg(feature = "test-support")]
pub mod testing;
mod tls;
mod url;
mod values;

use std::cell::{Cell as StdCell, RefCell};
use std::collections::HashMap;
use std::time::Duration;

use postgres::{Client, Statement};
use tokenkeeper_core::db::{Db, DbError, FailureKind, Lock, MIGRATION_COUNT, SqlResult};
use tokenkeeper_core::{Error, Result};

use errors::{classify, describe, is_stale};

pub use listen::listen;
pub use team::{
    is_server_url, member_key, member_key_or_new, open_location, open_vault, shown_location,
};

/// The advisory lock every write transaction takes: writers queue, as on SQLite (`BEGIN
/// IMMEDIATE`). "TKwrite\0" in ASCII.
const WRITE_LOCK: i64 = 0x544b_7772_6974_6500;
/// The advisory lock around migrations: of several processes opening a new database, one
/// migrates and the others find the work done. "TKmigr\0\0".
const MIGRATE_LOCK: i64 = 0x544b_6d69_6772_0000;
/// How long a statement waits for a lock (the write lock included) before failing as busy:
/// SQLite's busy timeout.
const LOCK_TIMEOUT: &str = "15s";
/// How long connecting may take when the URL does not say.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Takes the write lock if it is free (a constant: prepared once).
const TRY_WRITE_LOCK: &str = "SELECT pg_try_advisory_xact_lock(6074079855718458624)";
/// How many prepared statements a connection keeps (every statement the vault runs fits; SQL
/// built at run time cannot grow the cache, or the server's memory, without bound).
const STATEMENT_CACHE: usize = 256;
/// The channel a write transaction notifies when it commits.
pub const CHANGES_CHANNEL: &str = "tokenkeeper_changes";

/// Opens the PostgreSQL database named by `url`
/// (`postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=CA.pem`),
/// migrates it, and returns it as a [`Db`] the vault uses like the SQLite file.
///
/// `sslmode`: `disable`, `prefer` (the default), `require`, `verify-ca` (the certificate chain
/// is checked against `sslrootcert`, else the system's CAs), `verify-full` (the host name too).
///
/// # Errors
/// [`Error::Database`] naming the server (never the password) when the URL is not one, the
/// server cannot be reached, TLS or the login fails, or the database was written by a newer
/// TokenKeeper (nothing in it is changed).
pub fn open(url: &str) -> Result<Db> {
    let backend = Postgres::connect(url)?;
    backend.migrate()?;
    Ok(Db::from_backend(Box::new(backend), url.to_owned()))
}

/// Runs `f`, which blocks on the `postgres` client's own runtime, outside the tokio runtime
/// the caller may be in: the desktop app's asynchronous commands run on tokio's workers, where
/// the client's `block_on` panics ("Cannot start a runtime from within a runtime"). On a
/// worker of a multi-threaded runtime the worker hands its other tasks to another thread for
/// the time of the call (`block_in_place`); elsewhere `f` simply runs.
pub(crate) fn off_runtime<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

/// One connection to the server, behind the storage interface.
pub struct Postgres {
    client: RefCell<Client>,
    /// Prepared statements by the vault's SQL text (translated once).
    statements: RefCell<HashMap<String, Statement>>,
    /// The open transaction's lock, if any.
    open: StdCell<Option<Lock>>,
    location: String,
    secrets: Vec<String>,
    /// How to connect again after the server went away (password included: never shown).
    url: String,
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl Postgres {
    /// Connects without migrating (see [`open`]).
    ///
    /// # Errors
    /// As [`open`].
    pub fn connect(url: &str) -> Result<Self> {
        let mut target = url::parse(url)?;
        if target.config.get_connect_timeout().is_none() {
            target.config.connect_timeout(CONNECT_TIMEOUT);
        }
        if target.config.get_application_name().is_none() {
            target.config.application_name("tokenkeeper");
        }
        let secrets = url::secrets(url);
        let tls = target.tls()?;
        let mut client = off_runtime(|| target.config.connect(tls)).map_err(|e| {
            let detail = format!(
                "cannot connect to the PostgreSQL server {}: {}",
                target.shown,
                url::scrub(&describe(&e), &secrets)
            );
            // Away (refused, timed out, shut down) rather than refusing this login or TLS.
            if classify(&e) == FailureKind::Unavailable {
                Error::ServerUnavailable { detail }
            } else {
                Error::Database { detail }
            }
        })?;
        off_runtime(|| {
            client.batch_execute(&format!(
                "SET lock_timeout = '{LOCK_TIMEOUT}'; SET TIME ZONE 'UTC'"
            ))
        })
        .map_err(|e| Error::Database {
            detail: format!("{}: {}", target.shown, url::scrub(&describe(&e), &secrets)),
        })?;
        Ok(Self {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            open: StdCell::new(None),
            location: target.shown,
            secrets,
            url: url.to_owned(),
        })
    }

    /// The connection, for one call. OpenSSL keeps failures on a queue per thread: one left
    /// there by unrelated work on this thread (a signature that did not verify) would be taken
    /// by the TLS stream for its own and fail the call, so the queue is emptied first.
    ///
    /// A connection the server closed (restarted, network lost) is replaced by a new one
    /// first, when no transaction was open on it: a transaction lost with its connection is
    /// the caller's to retry, since nothing of it was committed. When the server is still
    /// away, the call fails on the closed connection as unavailable.
    fn client(&self) -> std::cell::RefMut<'_, Client> {
        drop(openssl::error::ErrorStack::get());
        if self.client.borrow().is_closed() && self.open.get().is_none() {
            self.reconnect();
        }
        self.client.borrow_mut()
    }

    /// Replaces the connection with a new one (the server ended the old one); keeps the old
    /// one when the server cannot be reached.
    fn reconnect(&self) {
        if let Ok(fresh) = Self::connect(&self.url) {
            // Statements prepared on the old connection do not exist on the new one.
            self.statements.borrow_mut().clear();
            // Closing the old connection blocks too.
            off_runtime(|| *self.client.borrow_mut() = fresh.into_client());
        }
    }

    /// Runs `f` on the connection, outside any tokio runtime the caller is in (see
    /// [`off_runtime`]).
    fn call<T>(&self, f: impl FnOnce(&mut Client) -> T) -> T {
        off_runtime(|| f(&mut self.client()))
    }

    /// The connection itself, for a listener that needs nothing else.
    pub(crate) fn into_client(self) -> Client {
        self.client.into_inner()
    }

    fn fail(&self, e: &postgres::Error) -> DbError {
        DbError::new(classify(e), url::scrub(&describe(e), &self.secrets))
    }

    fn batch(&self, sql: &str) -> SqlResult<()> {
        self.call(|c| c.batch_execute(sql))
            .map_err(|e| self.fail(&e))
    }

    /// The prepared statement for the vault's `sql`, prepared (and translated) the first time.
    fn statement(&self, sql: &str) -> SqlResult<Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let translated = placeholders::translate(sql);
        let statement = self
            .call(|c| c.prepare(&translated))
            .map_err(|e| self.fail(&e))?;
        let mut statements = self.statements.borrow_mut();
        if statements.len() >= STATEMENT_CACHE {
            // Dropping a statement closes it on the server.
            statements.clear();
        }
        statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// One value of the first row of a query without parameters (prepared once).
    fn scalar<T: for<'r> postgres::types::FromSql<'r>>(&self, sql: &str) -> SqlResult<T> {
        let statement = self.statement(sql)?;
        let row = self
            .call(|c| c.query_one(&statement, &[]))
            .map_err(|e| self.fail(&e))?;
        row.try_get(0).map_err(|e| self.fail(&e))
    }

    fn read_version(&self) -> SqlResult<usize> {
        if !self.scalar::<bool>("SELECT to_regclass('tokenkeeper_schema') IS NOT NULL")? {
            return Ok(0);
        }
        let v: i64 = self.scalar("SELECT version FROM tokenkeeper_schema")?;
        Ok(usize::try_from(v).unwrap_or(usize::MAX))
    }

    /// Runs `run` with the prepared statement for `sql`. A statement the server no longer
    /// accepts as prepared (another process changed a table under it: "cached plan must not
    /// change result type") is prepared again and, outside a transaction, run once more.
    ///
    /// Outside a transaction, a call that finds the connection closed by the server (a
    /// restart) is made once more on a new connection: it had not reached the server, or it
    /// was a read or an idempotent journal write (the vault's changes run in transactions,
    /// which are never replayed here).
    fn with_statement<T>(
        &self,
        sql: &str,
        run: impl Fn(&mut Client, &Statement) -> Result<T, postgres::Error>,
    ) -> SqlResult<T> {
        match self.with_statement_once(sql, &run) {
            Err(e) if e.kind == FailureKind::Unavailable && self.open.get().is_none() => {
                // The failure may come before the connection reports itself closed.
                self.reconnect();
                self.with_statement_once(sql, &run)
            }
            other => other,
        }
    }

    fn with_statement_once<T>(
        &self,
        sql: &str,
        run: &impl Fn(&mut Client, &Statement) -> Result<T, postgres::Error>,
    ) -> SqlResult<T> {
        let statement = self.statement(sql)?;
        let first = self.call(|c| run(c, &statement));
        match first {
            Err(e) if is_stale(&e) => {
                self.statements.borrow_mut().remove(sql);
                if self.open.get().is_some() {
                    return Err(self.fail(&e));
                }
                let statement = self.statement(sql)?;
                let second = self.call(|c| run(c, &statement));
                second.map_err(|e| self.fail(&e))
            }
            other => other.map_err(|e| self.fail(&e)),
        }
    }

    /// Brings the schema to [`MIGRATION_COUNT`], under an advisory lock: of two processes
    /// opening a new database at once, the second finds the work done. A current database is
    /// only read.
    ///
    /// The lock is taken first, for the session, and the migration runs in a transaction begun
    /// once it is held: a transaction's start is when the server takes in the catalog changes
    /// others committed. Taken inside the migration's own transaction, the lock let the second
    /// of eight openers keep its cached "no such table" from before it waited, and create the
    /// schema again ("relation tokenkeeper_schema already exists", seen once in CI).
    fn migrate(&self) -> Result<()> {
        let version = self.read_version()?;
        refuse_newer(version)?;
        if version == MIGRATION_COUNT {
            return Ok(());
        }
        self.batch(&format!("SELECT pg_advisory_lock({MIGRATE_LOCK})"))?;
        let done = match self.batch("BEGIN") {
            Err(e) => Err(e.into()),
            Ok(()) => match self.migrate_locked() {
                Ok(()) => self.batch("COMMIT").map_err(Error::from),
                Err(e) => {
                    let _ = self.batch("ROLLBACK");
                    Err(e)
                }
            },
        };
        // Released with the session too, should this fail (a connection lost).
        let _ = self.batch(&format!("SELECT pg_advisory_unlock({MIGRATE_LOCK})"));
        done
    }

    fn migrate_locked(&self) -> Result<()> {
        let version = self.read_version()?;
        refuse_newer(version)?;
        let mut reached = version;
        for &(target, sql) in schema::MIGRATIONS {
            if target <= reached {
                continue;
            }
            self.batch(sql)?;
            self.batch(&format!("UPDATE tokenkeeper_schema SET version = {target}"))?;
            reached = target;
        }
        if reached != MIGRATION_COUNT {
            return Err(Error::Database {
                detail: format!(
                    "{}: this TokenKeeper cannot bring a PostgreSQL database past schema {reached} (it needs {MIGRATION_COUNT})",
                    self.location
                ),
            });
        }
        Ok(())
    }
}

/// Refuses a database written by a newer TokenKeeper, before anything in it is changed (the
/// words of the core's SQLite check).
fn refuse_newer(version: usize) -> Result<()> {
    if version > MIGRATION_COUNT {
        return Err(Error::Database {
            detail: format!(
                "this database was written by a newer TokenKeeper (schema {version}); update TokenKeeper"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn try_write_takes_the_write_lock() {
        assert_eq!(
            super::TRY_WRITE_LOCK,
            format!("SELECT pg_try_advisory_xact_lock({})", super::WRITE_LOCK)
        );
    }

    #[test]
    fn the_last_migration_reaches_the_core_schema() {
        assert_eq!(
            super::schema::MIGRATIONS.last().map(|m| m.0),
            Some(tokenkeeper_core::db::MIGRATION_COUNT),
            "a SQLite migration was added without its PostgreSQL twin (crates/store-postgres/src/schema.rs)"
        );
    }
}
