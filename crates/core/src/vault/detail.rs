//! One client's credentials in full, each with its accepted files and its audit trail: what the
//! client page of the desktop app shows.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Event, EventFilter, Vault, Version};
use crate::error::Result;
use crate::summary::CredentialSummary;

/// A credential with its history: one card of a client page.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CredentialDetail {
    /// The credential and its state.
    pub summary: CredentialSummary,
    /// Its accepted files, newest first.
    pub versions: Vec<Version>,
    /// Its audit trail (imports, renewals, state changes, edits), newest first.
    pub events: Vec<Event>,
    /// Whether TokenKeeper holds its private key in the keychain (a push certificate it can
    /// export for the MDM); false for one tracked only, whose MDM keeps the key.
    pub key_held: bool,
}

impl Vault {
    /// Every credential of the client `name` (case-insensitive) with its state at `now`, most
    /// urgent first, each with its versions and events.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown client; [`crate::Error::Database`].
    pub fn client_credentials(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<CredentialDetail>> {
        let client = self.client(name)?;
        self.summaries(now)?
            .into_iter()
            .filter(|s| s.client == client.name)
            .map(|summary| {
                let filter = EventFilter {
                    credential_uid: Some(summary.uid.clone()),
                    ..EventFilter::default()
                };
                Ok(CredentialDetail {
                    key_held: self.key_held(&summary.uid)?,
                    versions: self.versions(&summary.uid)?,
                    events: self.events(&filter)?,
                    summary,
                })
            })
            .collect()
    }

    fn key_held(&self, uid: &str) -> Result<bool> {
        Ok(self.db.conn().query_row(
            "SELECT key_ref IS NOT NULL FROM credentials WHERE uid = ?1",
            [uid],
            |r| r.get(0),
        )?)
    }
}
