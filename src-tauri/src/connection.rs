//! The team's server as the window shows it: reachable, or away since when, with the last
//! known state shown from this computer's copy of the team vault (read only). The scheduler
//! decides (see `background::scheduler::link`); the commands read it here.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tauri::State;
use tokenkeeper_core::{Error, ErrorBody, Vault};

/// Whether the team's server can be reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct Connection {
    /// The team's database (its URL without the password); `None` for a vault of one's own.
    pub database: Option<String>,
    /// Since when the server has been unreachable; `None` while it answers.
    pub away_since: Option<DateTime<Utc>>,
    /// While it is away, when the state shown was copied from it; `None` when this computer
    /// has no copy (nothing can be shown).
    pub shown_as_of: Option<DateTime<Utc>>,
}

impl Connection {
    /// A vault of one's own, or a team's server that answers.
    pub fn reachable(database: Option<String>) -> Self {
        Self {
            database,
            away_since: None,
            shown_as_of: None,
        }
    }

    /// How `vault` is reached while it answers: a team's server, or a vault of one's own.
    pub fn of(vault: &Vault) -> Self {
        Self::reachable(vault.is_shared().then(|| vault.database_location()))
    }

    /// Why nothing can change while the server is away, for every refused change.
    pub fn read_only_reason(database: &str, since: DateTime<Utc>, as_of: DateTime<Utc>) -> String {
        format!(
            "the team's server {database} has been unreachable since {}: TokenKeeper shows the last known state, copied {}, and changes nothing until the server is back (it reconnects by itself)",
            since.format("%Y-%m-%d %H:%M UTC"),
            as_of.format("%Y-%m-%d %H:%M UTC")
        )
    }
}

/// The connection as last decided, shared by the scheduler and the commands.
#[derive(Debug, Default)]
pub struct ConnectionState(Mutex<Connection>);

impl ConnectionState {
    /// Starting as `connection`.
    pub fn new(connection: Connection) -> Self {
        Self(Mutex::new(connection))
    }

    /// The connection now.
    pub fn get(&self) -> Connection {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records a new connection state.
    pub fn set(&self, connection: Connection) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = connection;
    }
}

/// Whether the team's server is reachable, and what is shown while it is not.
#[tauri::command]
#[specta::specta]
pub async fn team_connection(state: State<'_, ConnectionState>) -> Result<Connection, ErrorBody> {
    Ok(state.get())
}

/// The vaults the app starts with at `location` (one for the commands, one for the scheduler)
/// and how the team's server is: a team vault whose server cannot be reached starts from this
/// computer's copy, read only, when there is one.
///
/// # Errors
/// What opening the vault returns, the server being away included when there is no copy.
pub fn open_at_start(
    location: &Path,
    open: &dyn Fn() -> tokenkeeper_core::Result<Vault>,
) -> tokenkeeper_core::Result<(Vault, Vault, Connection)> {
    let team = location
        .to_str()
        .filter(|l| tokenkeeper_store_postgres::is_server_url(l))
        .and_then(tokenkeeper_store_postgres::shown_location);
    match (open(), team) {
        (Ok(vault), _) => {
            let connection = Connection::of(&vault);
            Ok((vault, open()?, connection))
        }
        (Err(e @ Error::ServerUnavailable { .. }), Some(database)) => {
            open_copies(&database, Utc::now())?.ok_or(e)
        }
        (Err(e), _) => Err(e),
    }
}

/// This computer's copy of the team vault `database` (as shown), opened twice (for the commands
/// and for the scheduler), read only, every change refused with why and since `since`; and the
/// connection the window shows. `None` when this computer has no copy.
///
/// # Errors
/// [`Error::Database`]: the copy cannot be read.
pub fn open_copies(
    database: &str,
    since: DateTime<Utc>,
) -> tokenkeeper_core::Result<Option<(Vault, Vault, Connection)>> {
    let copy = |reason: &str| Vault::open_copy_of(database, reason);
    // When it was taken is part of every refusal's reason: read before the copies are opened.
    let Some((_, taken)) = copy("")? else {
        return Ok(None);
    };
    let reason = Connection::read_only_reason(database, since, taken.taken_at);
    let (Some((commands, _)), Some((scheduler, _))) = (copy(&reason)?, copy(&reason)?) else {
        return Ok(None);
    };
    let connection = Connection {
        database: Some(database.to_owned()),
        away_since: Some(since),
        shown_as_of: Some(taken.taken_at),
    };
    Ok(Some((commands, scheduler, connection)))
}
