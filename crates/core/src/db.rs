//! The SQLite database: opening it (WAL, busy timeout, foreign keys), finding the default file in
//! the OS app-data directory, and versioned migrations. It holds clients, credentials, versions
//! and the audit log; never a secret.

mod schema;

pub(crate) use schema::STAGED_SECRETS;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::{Error, Result};

/// The app's bundle identifier: the app-data folder the desktop app and the CLI share.
pub const APP_IDENTIFIER: &str = "app.tokenkeeper.desktop";

/// File name of the database inside the app-data folder.
pub const DB_FILE: &str = "tokenkeeper.db";

/// How many migrations this version knows: a database (or backup) past it is from a newer
/// TokenKeeper.
pub const MIGRATION_COUNT: usize = schema::MIGRATIONS.len();

/// How long a writer waits for another process (the app, a script) holding the lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// An open TokenKeeper database, migrated to the current schema.
#[derive(Debug)]
pub struct Db {
    conn: Connection,
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Database {
            detail: e.to_string(),
        }
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

    /// Opens (creating if needed) the database at `path` and migrates it.
    ///
    /// # Errors
    /// [`Error::Io`] when the folder cannot be created, [`Error::Database`] when the file is not
    /// a TokenKeeper database or is from a newer version.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.display().to_string(),
                source,
            })?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Error::Database {
            detail: format!("{}: {e}", path.display()),
        })?;
        Self::init(conn, true)
    }

    /// The file this database lives in; `None` in memory.
    pub fn path(&self) -> Option<PathBuf> {
        self.conn
            .path()
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
    }

    /// An in-memory database, for unit tests.
    ///
    /// # Errors
    /// [`Error::Database`] if SQLite fails.
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, false)
    }

    fn init(conn: Connection, wal: bool) -> Result<Self> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if wal {
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::Database {
                    detail: format!("cannot switch the database to WAL mode (got {mode})"),
                });
            }
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
        let mut db = Self { conn };
        db.migrate()?;
        Ok(db)
    }

    /// Applies every migration newer than the file's `user_version`, each in its own
    /// transaction.
    pub(crate) fn migrate(&mut self) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let version = usize::try_from(version).unwrap_or(usize::MAX);
        if version > schema::MIGRATIONS.len() {
            return Err(Error::Database {
                detail: format!(
                    "this database was written by a newer TokenKeeper (schema {version}); update TokenKeeper"
                ),
            });
        }
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
        let v: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        Ok(usize::try_from(v).unwrap_or(usize::MAX))
    }

    /// A number that changes whenever another connection (another window, the command line)
    /// commits to the database: the scheduler compares it to notice changes it did not make.
    ///
    /// # Errors
    /// [`Error::Database`] if SQLite fails.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// A stamp that moves whenever anyone commits to the database: another connection (the data
    /// version) or this one (its count of changed rows). A cache built from the data stays good
    /// while the stamp stays the same.
    ///
    /// # Errors
    /// [`Error::Database`] if SQLite fails.
    pub fn change_stamp(&self) -> Result<(i64, u64)> {
        Ok((self.data_version()?, self.conn.total_changes()))
    }

    /// The connection, for reads.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection, for a restore that replaces the whole database.
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Runs `f` in one write transaction (taken at once, so two processes queue instead of
    /// failing on lock upgrade); commits when it returns `Ok`, rolls back otherwise.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_a_new_file_and_reopens_it() {
        let dir = std::env::temp_dir().join(format!("tk-db-{}", std::process::id()));
        let path = dir.join("nested").join("t.db");
        let db = Db::open(&path).expect("open");
        assert_eq!(
            db.schema_version().expect("version"),
            schema::MIGRATIONS.len()
        );
        drop(db);
        let db = Db::open(&path).expect("reopen");
        let mode: String = db
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn data_version_moves_only_for_other_connections_commits() {
        let dir = std::env::temp_dir().join(format!("tk-db-dv-{}", std::process::id()));
        let path = dir.join("t.db");
        let watcher = Db::open(&path).expect("open");
        let mut writer = Db::open(&path).expect("open again");
        let before = watcher.data_version().expect("version");
        let own_before = writer.data_version().expect("version");
        writer
            .write(|tx| {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES ('probe', '1')",
                    [],
                )?;
                Ok(())
            })
            .expect("write");
        assert_ne!(watcher.data_version().expect("version"), before);
        assert_eq!(writer.data_version().expect("version"), own_before);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_change_stamp_moves_for_every_commit_and_not_for_reads() {
        let dir = std::env::temp_dir().join(format!("tk-db-stamp-{}", std::process::id()));
        let path = dir.join("t.db");
        let mut me = Db::open(&path).expect("open");
        let mut other = Db::open(&path).expect("open again");
        let insert = |db: &mut Db, key: &str| {
            db.write(|tx| {
                tx.execute("INSERT INTO settings (key, value) VALUES (?1, '1')", [key])?;
                Ok(())
            })
            .expect("write");
        };
        let start = me.change_stamp().expect("stamp");
        let _: i64 = me
            .conn()
            .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
            .expect("read");
        assert_eq!(me.change_stamp().expect("stamp"), start, "a read");
        insert(&mut me, "mine");
        let after_mine = me.change_stamp().expect("stamp");
        assert_ne!(after_mine, start, "my own commit");
        insert(&mut other, "theirs");
        assert_ne!(
            me.change_stamp().expect("stamp"),
            after_mine,
            "another connection's commit"
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let dir = std::env::temp_dir().join(format!("tk-db-new-{}", std::process::id()));
        let path = dir.join("t.db");
        let db = Db::open(&path).expect("open");
        db.conn()
            .pragma_update(None, "user_version", 999)
            .expect("bump");
        drop(db);
        let e = Db::open(&path).expect_err("newer");
        assert!(e.to_string().contains("newer TokenKeeper"), "{e}");
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn event_log_is_append_only() {
        let db = Db::open_in_memory().expect("db");
        db.conn()
            .execute(
                "INSERT INTO events (at, kind, message) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'test', 'x')",
                [],
            )
            .expect("insert");
        assert!(
            db.conn()
                .execute("UPDATE events SET message = 'y'", [])
                .is_err()
        );
        assert!(db.conn().execute("DELETE FROM events", []).is_err());
    }
}
