//! Removing a client or a credential: the records go in one transaction that also retires
//! their keychain items (so a crash leaves them to the sweep), then the items are deleted. The
//! audit log keeps their history.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};

use super::{EventKind, Vault, events, staging};
use crate::error::{Error, Result};

impl Vault {
    /// Removes a client, its credentials and their secrets. The audit log keeps their history.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Database`].
    pub fn remove_client(&mut self, name: &str, now: DateTime<Utc>) -> Result<()> {
        let client = self.client(name)?;
        let accounts = self.db.write(|tx| {
            let mut accounts = secret_accounts(tx, "c.uid = ?1", &client.uid)?;
            // Its pending keys go with it (the rows by cascade, the keychain entries here).
            // So do its pending keys and its MDM connections' API secrets.
            let mut stmt = tx.prepare(
                "SELECT k.key_ref FROM keys k JOIN clients c ON c.id = k.client_id WHERE c.uid = ?1
                 UNION ALL SELECT m.secret_ref FROM mdm_connections m
                 JOIN clients c ON c.id = m.client_id WHERE c.uid = ?1",
            )?;
            for account in stmt.query_map(args![&client.uid], |r| r.get::<String>(0))? {
                accounts.push(account?);
            }
            drop(stmt);
            tx.execute("DELETE FROM clients WHERE uid = ?1", args![&client.uid])?;
            staging::retire(tx, &accounts, now)?;
            events::append(
                tx,
                now,
                EventKind::ClientRemoved,
                Some(&client.name),
                None,
                &format!(
                    "client removed with its {} credential(s)",
                    client.credentials
                ),
            )?;
            Ok(accounts)
        })?;
        self.forget_secrets(&accounts);
        Ok(())
    }

    /// Removes one credential and its secrets; its history stays in the audit log.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Database`].
    pub fn remove_credential(&mut self, uid: &str, now: DateTime<Utc>) -> Result<()> {
        let accounts = self.db.write(|tx| {
            let found: Option<(String, String)> = tx
                .query_row(
                    "SELECT c.name, cr.label FROM credentials cr JOIN clients c ON c.id = cr.client_id
                     WHERE cr.uid = ?1",
                    args![uid],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((client, label)) = found else {
                return Err(Error::NotFound {
                    what: "credential".to_owned(),
                    hint: String::new(),
                });
            };
            let accounts = secret_accounts(tx, "cr.uid = ?1", uid)?;
            tx.execute("DELETE FROM credentials WHERE uid = ?1", args![uid])?;
            staging::retire(tx, &accounts, now)?;
            events::append_for(tx, now, EventKind::CredentialRemoved, &client, uid, &label, "credential removed")?;
            Ok(accounts)
        })?;
        self.forget_secrets(&accounts);
        Ok(())
    }
}

/// Keychain accounts referenced by the credentials matching `filter` (joined as `cr` and `c`).
fn secret_accounts(tx: &crate::db::Sql<'_>, filter: &str, value: &str) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT cr.key_ref, cr.secret_ref FROM credentials cr JOIN clients c ON c.id = cr.client_id
         WHERE {filter}"
    );
    let mut stmt = tx.prepare(&sql)?;
    let rows = stmt.query_map(args![value], |r| {
        Ok((r.get::<Option<String>>(0)?, r.get::<Option<String>>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (a, b) = row?;
        out.extend(a);
        out.extend(b);
    }
    Ok(out)
}
