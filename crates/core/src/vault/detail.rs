//! One client's credentials in full, each with its accepted files and its audit trail: what the
//! client page of the desktop app shows.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Event, EventFilter, Vault, Version};
use crate::error::Result;
use crate::summary::CredentialSummary;
use crate::token::Kind;

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

/// The credential a file will most likely renew, told before the file is read
/// ([`crate::renewal::expected_target`]): what the renewal wizard shows meanwhile.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExpectedRenewal {
    /// The credential.
    pub uid: String,
    /// Its label.
    pub label: String,
    /// Its topic, MDM server or organisation.
    pub identity: String,
    /// The Apple Account on record, to renew with.
    pub apple_account: Option<String>,
    /// Its expiry.
    pub expires_at: Option<DateTime<Utc>>,
}

impl Vault {
    /// Which of `client`'s credentials of `kind` a file will renew, as far as it can be told
    /// before reading it: the one labelled `label`, or the client's only push certificate.
    ///
    /// # Errors
    /// [`crate::Error::NotFound`] for an unknown client; [`crate::Error::Database`].
    pub fn expected_renewal(
        &self,
        client: &str,
        kind: Kind,
        label: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Option<ExpectedRenewal>> {
        let client = self.client(client)?;
        let mine: Vec<CredentialSummary> = self
            .summaries(now)?
            .into_iter()
            .filter(|s| s.client == client.name && s.kind == kind)
            .collect();
        Ok(
            crate::renewal::expected_target(kind, label, &mine, |s| &s.label).map(|s| {
                ExpectedRenewal {
                    uid: s.uid.clone(),
                    label: s.label.clone(),
                    identity: s.identity.clone(),
                    apple_account: s.apple_account.clone(),
                    expires_at: s.expires_at,
                }
            }),
        )
    }

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
        // A credential tracked from an MDM only has no row, and no key.
        Ok(self
            .db
            .sql()
            .query_row(
                "SELECT key_ref IS NOT NULL FROM credentials WHERE uid = ?1",
                args![uid],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false))
    }
}
