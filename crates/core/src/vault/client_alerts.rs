//! A client's own alerting: its warning threshold (when Renewal Required starts: 30, 45, 60 or
//! 90 days before expiry; none means the vault's) and the contact address told by e-mail.

use crate::args;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{EventKind, Vault, events};
use crate::alerts::{WARN_DAYS, valid_warn_days};
use crate::error::{Error, Result};

/// A client's alerting settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientAlerting {
    /// Days before expiry when Renewal Required starts; `None`: the vault's setting.
    pub warn_days: Option<u32>,
    /// Who at the client is told too (by the e-mail channels serving it).
    pub contact_email: Option<String>,
}

impl Vault {
    /// A client's alerting settings.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::Database`].
    pub fn client_alerting(&self, name: &str) -> Result<ClientAlerting> {
        let client = self.client(name)?;
        Ok(self.db.sql().query_row(
            "SELECT warn_days, contact_email FROM clients WHERE uid = ?1",
            args![&client.uid],
            |r| {
                Ok(ClientAlerting {
                    warn_days: r.get(0)?,
                    contact_email: r.get(1)?,
                })
            },
        )?)
    }

    /// Saves a client's alerting settings; every state, reminder, export and alert follows.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a threshold other than 30, 45, 60 or 90 days, or an address
    /// that is not one; [`Error::NotFound`]; [`Error::Database`].
    pub fn set_client_alerting(
        &mut self,
        name: &str,
        alerting: &ClientAlerting,
        now: DateTime<Utc>,
    ) -> Result<ClientAlerting> {
        if let Some(days) = alerting.warn_days.filter(|d| !valid_warn_days(*d)) {
            return Err(Error::InvalidInput {
                message: format!(
                    "a client's warning threshold is {} days, not {days}",
                    WARN_DAYS.map(|d| d.to_string()).join(", ")
                ),
            });
        }
        let contact = match alerting.contact_email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(a) => Some(super::check_email(a)?),
        };
        let client = self.client(name)?;
        self.db.write(|tx| {
            tx.execute(
                "UPDATE clients SET warn_days = ?1, contact_email = ?2 WHERE uid = ?3",
                args![alerting.warn_days, contact, client.uid],
            )?;
            let threshold = alerting
                .warn_days
                .map_or("the vault's".to_owned(), |d| format!("{d} days"));
            let who = contact.as_deref().unwrap_or("nobody");
            events::append(
                tx,
                now,
                EventKind::ClientUpdated,
                Some(&client.name),
                None,
                &format!("warning threshold {threshold}; contact {who}"),
            )
        })?;
        self.client_alerting(name)
    }
}
