//! The last known state of a team's vault on this computer: a SQLite copy of the team database
//! (every table but the shared secrets, which stay on the server), with the server's change
//! counter it matches and when it was taken.
//!
//! While the server is away, the app shows it read only and reminders keep firing from it. A
//! report (`status`, `export`) reads it instead of every row on the server when the server's
//! counter says nothing changed since: the same answer, without the transfer.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::copy::{TABLES, columns_of, copy_table};
use crate::args;
use crate::db::{APP_IDENTIFIER, Db};
use crate::error::{Error, Result};
use crate::vault::{parse_ts, ts};

/// The tables a local copy holds: the vault's, and who is in the team (never their secrets).
fn copied_tables() -> impl Iterator<Item = &'static str> {
    TABLES.iter().copied().chain(["team_members"])
}

/// Where this computer keeps the copy of the team database at `location` (as
/// [`Db::location`] shows it: no password): beside the app's own database.
pub fn local_copy_path(location: &str) -> Option<PathBuf> {
    dirs::data_dir().map(|d| {
        d.join(APP_IDENTIFIER).join("team-copies").join(format!(
            "{}.db",
            &crate::token::sha256_hex(location.as_bytes())[..16]
        ))
    })
}

/// A copy on disk: which state of the server it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalCopy {
    /// The server's change counter when it was taken.
    pub changes: i64,
    /// When it was taken.
    pub taken_at: DateTime<Utc>,
}

/// Copies the team database `server` to `path` as it is at one moment (one read snapshot),
/// replacing the copy there at once when complete: a reader sees the old copy or the new one,
/// never half of one. The shared secrets are not copied.
///
/// # Errors
/// [`Error::ServerUnavailable`] or [`Error::Database`] from the server; [`Error::Io`] when the
/// copy cannot be written (the old copy stays).
pub fn save_local_copy(server: &Db, path: &Path, now: DateTime<Utc>) -> Result<LocalCopy> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let temp = tempfile::Builder::new()
        .prefix(".copy-")
        .suffix(".db")
        .tempfile_in(dir)
        .map_err(io)?;
    let made = fill(server, temp.path(), now);
    for leftover in ["-wal", "-shm", "-journal"] {
        let mut p = temp.path().as_os_str().to_owned();
        p.push(leftover);
        let _ = std::fs::remove_file(p);
    }
    let copy = made?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(copy)
}

/// Writes the copy into the (empty) file at `temp`.
fn fill(server: &Db, temp: &Path, now: DateTime<Utc>) -> Result<LocalCopy> {
    let mut target = Db::open(temp)?;
    if let Some(conn) = target.sqlite_mut() {
        // One self-contained file once closed (no write-ahead log beside it to rename along),
        // and rows arrive in the server's order, not parents first.
        let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(Error::Database {
                detail: format!("the local copy stays in {mode} mode"),
            });
        }
        conn.execute_batch("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF")?;
    }
    let columns = copied_tables()
        .map(|t| Ok((t, columns_of(&target.sql(), t)?)))
        .collect::<Result<Vec<_>>>()?;
    let source = server.sql();
    let copy = server.snapshot(|| {
        let changes = server.data_version()?;
        target.write(|tx| {
            for (table, columns) in &columns {
                copy_table(&source, tx, table, columns)?;
            }
            tx.execute_batch(
                "CREATE TABLE local_copy (changes INTEGER NOT NULL, taken_at TEXT NOT NULL)",
            )?;
            tx.execute(
                "INSERT INTO local_copy (changes, taken_at) VALUES (?1, ?2)",
                args![changes, ts(now)],
            )?;
            Ok(())
        })?;
        Ok(LocalCopy {
            changes,
            taken_at: now,
        })
    })?;
    if let Some(conn) = target.sqlite_mut() {
        conn.execute_batch("PRAGMA synchronous = FULL")?;
    }
    Ok(copy)
}

/// Opens the copy at `path` read only, every write refused with `reason`; `None` when there is
/// none (or one this version cannot read: it is taken again when the server is back).
///
/// # Errors
/// [`Error::Database`] when it cannot be read.
pub fn open_local_copy(path: &Path, reason: String) -> Result<Option<(Db, LocalCopy)>> {
    if !path.exists() {
        return Ok(None);
    }
    let db = match Db::open_read_only(path, reason) {
        Ok(db) => db,
        Err(Error::Database { .. } | Error::DatabaseDamaged { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let copy = db
        .sql()
        .query_opt("SELECT changes, taken_at FROM local_copy", args![], |r| {
            Ok(LocalCopy {
                changes: r.get(0)?,
                taken_at: parse_ts(r.get_ref(1)?.as_str()?).unwrap_or_default(),
            })
        });
    match copy {
        Ok(Some(copy)) => Ok(Some((db, copy))),
        // Not a copy (no such table), or an empty one.
        Ok(None) | Err(_) => Ok(None),
    }
}
