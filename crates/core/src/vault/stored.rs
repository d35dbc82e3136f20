//! Stored secrets read back and checked against the hash recorded when they were saved: a
//! mismatch or a missing keychain entry puts the credential in Error, in the audit log.

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use super::{EventKind, Vault, events};
use crate::args;
use crate::db::OptionalRow;
use crate::error::{Error, Result};
use crate::status::State;
use crate::token::sha256_hex;

/// Reason put on a credential whose stored secret changed outside TokenKeeper.
pub const TAMPERED: &str = "stored token changed outside TokenKeeper: import the file again";
/// Reason put on a credential whose stored secret vanished from the keychain.
pub const MISSING: &str = "stored token missing from the keychain: import the file again";

impl Vault {
    /// Reads a credential's stored secret (the OAuth values of a server token, the content
    /// token file) and checks it against the hash recorded when it was saved. A mismatch or a
    /// missing entry puts the credential in Error and is recorded.
    ///
    /// # Errors
    /// [`Error::Tampered`], [`Error::NotFound`] (no secret for this credential),
    /// [`Error::KeychainUnavailable`].
    pub fn read_secret(&mut self, uid: &str, now: DateTime<Utc>) -> Result<Zeroizing<Vec<u8>>> {
        let found: Option<(Option<String>, Option<String>, String, String)> = self
            .db
            .sql()
            .query_row(
                "SELECT cr.secret_ref, cr.secret_sha256, c.name, cr.label
                 FROM credentials cr JOIN clients c ON c.id = cr.client_id WHERE cr.uid = ?1",
                args![uid],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let not_found = || Error::NotFound {
            what: "stored secret".to_owned(),
            hint: String::new(),
        };
        let (Some(account), Some(expected), client, label) = found.ok_or_else(not_found)? else {
            return Err(not_found());
        };
        let problem = match self.secrets.get(&account)? {
            Some(secret) if sha256_hex(&secret) == expected => return Ok(secret),
            Some(_) => TAMPERED,
            None => MISSING,
        };
        self.db.write(|tx| {
            tx.execute(
                "UPDATE credentials SET error = ?1, last_state = ?2 WHERE uid = ?3",
                args![problem, State::Error.id(), uid],
            )?;
            events::append_for(
                tx,
                now,
                EventKind::SecretTampered,
                &client,
                uid,
                &label,
                problem,
            )
        })?;
        Err(Error::Tampered {
            message: format!("{client} \"{label}\": {problem}"),
        })
    }

    /// Reads back every stored secret ([`Vault::read_secret`]); returns the problems found.
    ///
    /// # Errors
    /// [`Error::KeychainUnavailable`], [`Error::Database`].
    pub fn verify_secrets(&mut self, now: DateTime<Utc>) -> Result<Vec<Error>> {
        let uids: Vec<String> = {
            let mut stmt = self
                .db
                .sql()
                .prepare("SELECT uid FROM credentials WHERE secret_ref IS NOT NULL")?;
            let rows = stmt.query_map(args![], |r| r.get(0))?;
            rows.collect::<crate::db::SqlResult<Vec<_>>>()?
        };
        let mut problems = Vec::new();
        for uid in uids {
            match self.read_secret(&uid, now) {
                Ok(_) => {}
                Err(e @ Error::Tampered { .. }) => problems.push(e),
                Err(e) => return Err(e),
            }
        }
        Ok(problems)
    }
}
