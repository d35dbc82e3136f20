//! A team vault's copy on this computer (see [`crate::team::save_local_copy`]): taken from the
//! vault, and opened as a vault of its own, read only.

use chrono::{DateTime, Utc};

use super::Vault;
use crate::error::{Error, Result};
use crate::secrets::SecretStore;
use crate::team::{self, LocalCopy};

/// The secret store of a copy: the secrets stay on the team's server.
struct OnTheServer(String);

impl SecretStore for OnTheServer {
    fn put(&self, _: &str, _: &[u8]) -> Result<()> {
        Err(Error::ReadOnly {
            reason: self.0.clone(),
        })
    }

    fn get(&self, _: &str) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>> {
        Err(Error::ReadOnly {
            reason: self.0.clone(),
        })
    }

    fn delete(&self, _: &str) -> Result<()> {
        Err(Error::ReadOnly {
            reason: self.0.clone(),
        })
    }
}

impl Vault {
    /// Whether this vault is a team's, on a server (a copy can be kept of it).
    pub fn is_shared(&self) -> bool {
        self.db.dialect() != crate::db::Dialect::Sqlite
    }

    /// Why this vault changes nothing (a copy shown while the server is away), when it is so.
    pub fn read_only(&self) -> Option<&str> {
        self.db.read_only()
    }

    /// Copies this team vault to this computer's copy of it (see [`team::local_copy_path`]).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a vault that is not a team's on a server; what
    /// [`team::save_local_copy`] returns.
    pub fn save_local_copy(&self, now: DateTime<Utc>) -> Result<LocalCopy> {
        let path = self.local_copy_path()?;
        team::save_local_copy(&self.db, &path, now)
    }

    /// This team vault's copy on this computer, read only (every change refused with
    /// `reason`), and which state of the server it holds; `None` when there is none yet.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a vault that is not a team's on a server; [`Error::Database`].
    pub fn open_local_copy(&self, reason: &str) -> Result<Option<(Vault, LocalCopy)>> {
        if !self.is_shared() {
            return Err(Error::InvalidInput {
                message: "only a team's vault on a server has a local copy".to_owned(),
            });
        }
        Vault::open_copy_of(&self.db.location(), reason)
    }

    /// This computer's copy of the team vault at `location` (as [`Vault::database_location`]
    /// shows it), read only, every change refused with `reason`: what to show while its
    /// server is away. `None` when there is none.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn open_copy_of(location: &str, reason: &str) -> Result<Option<(Vault, LocalCopy)>> {
        let Some(path) = team::local_copy_path(location) else {
            return Ok(None);
        };
        Ok(
            team::open_local_copy(&path, reason.to_owned())?.map(|(db, copy)| {
                let secrets = Box::new(OnTheServer(reason.to_owned()));
                (Vault::new(db, secrets), copy)
            }),
        )
    }

    /// The copy of this team vault when it holds exactly what the server holds now (the same
    /// change counter): a report reads it instead of every row on the server. `None` when
    /// there is no copy, or the server changed since it was taken.
    ///
    /// # Errors
    /// [`Error::ServerUnavailable`], [`Error::Database`].
    pub fn current_local_copy(&self) -> Result<Option<Vault>> {
        if !self.is_shared() {
            return Ok(None);
        }
        let Some((copy, taken)) = self.open_local_copy(
            "this is a copy of the team's vault, for reading: change the team's vault itself",
        )?
        else {
            return Ok(None);
        };
        Ok((taken.changes == self.db.data_version()?).then_some(copy))
    }

    /// Whether this computer keeps a copy of this team vault (the app keeps one; reports
    /// then keep it up to date too).
    pub fn has_local_copy(&self) -> bool {
        self.is_shared() && self.local_copy_path().is_ok_and(|p| p.exists())
    }

    /// Where this computer keeps the copy of this team vault.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a vault that is not a team's on a server, or a system
    /// without an app-data folder.
    pub fn local_copy_path(&self) -> Result<std::path::PathBuf> {
        if !self.is_shared() {
            return Err(Error::InvalidInput {
                message: "only a team's vault on a server has a local copy".to_owned(),
            });
        }
        team::local_copy_path(&self.db.location()).ok_or_else(|| Error::InvalidInput {
            message: "this system has no app-data folder for the team vault's copy".to_owned(),
        })
    }
}
