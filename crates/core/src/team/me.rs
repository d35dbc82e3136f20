//! This technician in a team: their key, read from their OS keychain, and the member holding
//! it, found the first time a change or a secret needs them. A command that only reads (a
//! status report) never asks the keychain.

use std::sync::OnceLock;

use super::{MemberKey, key_account, member_holding};
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::secrets::SecretStore;

/// Who this technician is in the team of one database.
pub struct Me {
    keychain: Option<Box<dyn SecretStore>>,
    location: String,
    found: OnceLock<(MemberKey, String)>,
}

impl std::fmt::Debug for Me {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Me")
            .field("location", &self.location)
            .field("name", &self.found.get().map(|(_, name)| name))
            .finish_non_exhaustive()
    }
}

impl Me {
    /// The technician whose team key for the database at `location` (as [`crate::db::Db::location`]
    /// names it) is in `keychain`; read when first needed.
    pub fn from_keychain(keychain: Box<dyn SecretStore>, location: String) -> Self {
        Self {
            keychain: Some(keychain),
            location,
            found: OnceLock::new(),
        }
    }

    /// The member `name`, holding `key` (already checked by the caller).
    pub fn known(key: MemberKey, name: String) -> Self {
        let found = OnceLock::new();
        let _ = found.set((key, name));
        Self {
            keychain: None,
            location: String::new(),
            found,
        }
    }

    /// This technician's key and member name, read on `sql` the first time.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the keychain holds no team key for the database (saying how
    /// to join) or the key is no current member's (saying how to be added);
    /// [`Error::KeychainUnavailable`]; [`Error::Database`].
    pub fn find(&self, sql: &Sql<'_>) -> Result<(&MemberKey, &str)> {
        if let Some((key, name)) = self.found.get() {
            return Ok((key, name));
        }
        let keychain = self.keychain.as_deref().ok_or_else(|| Error::Database {
            detail: "no keychain to read the team key from".to_owned(),
        })?;
        let key = keychain
            .get(&key_account(&self.location))?
            .map(|secret| MemberKey::from_secret(&secret))
            .transpose()?
            .ok_or_else(|| Error::NotFound {
                what: format!("your team key for {}", self.location),
                hint: ": run `tokenkeeper team join --db URL --name YOUR-NAME` and ask a member to add you"
                    .to_owned(),
            })?;
        let name = member_holding(sql, &key)?.name;
        // Another thread may have found it meanwhile: the same key and name either way.
        let _ = self.found.set((key, name));
        self.found
            .get()
            .map(|(key, name)| (key, name.as_str()))
            .ok_or_else(|| Error::Database {
                detail: "the team member could not be recorded".to_owned(),
            })
    }
}
