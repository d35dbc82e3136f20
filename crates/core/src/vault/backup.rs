//! Backup and restore of the whole vault, for moving to a new machine: the SQLite database and
//! every keychain secret it references, in one file encrypted with a passphrase.
//!
//! The file is an [age](https://age-encryption.org) file (scrypt passphrase recipient) holding a
//! tar archive: `manifest.json` (format, schema, SHA-256 of every part), `tokenkeeper.db` and
//! `secrets/NNNN`, one per keychain entry. Anyone with the passphrase can open it with the `age`
//! tool and `tar` if TokenKeeper itself is ever unavailable. Plaintext exists only in memory.
//!
//! Restoring reads, decrypts and checks everything before writing anything: a wrong passphrase or
//! a damaged file leaves the vault and the keychain exactly as they were.

mod file;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use zeroize::Zeroizing;

use super::{Vault, events, staging};
use crate::error::{Error, Result};
use crate::vault::EventKind;

/// A passphrase shorter than this is refused: the file holds every private key.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// What a backup holds (counts only).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct BackupSummary {
    /// Clients.
    pub clients: usize,
    /// Credentials.
    pub credentials: usize,
    /// Pending keys and vendor identities.
    pub keys: usize,
    /// Keychain entries.
    pub secrets: usize,
}

/// How a restore treats a vault that already holds data.
#[derive(Debug, Clone, Copy, Default)]
pub struct RestoreOptions {
    /// Replace a vault that already holds clients or keys (its own secrets are deleted).
    pub force: bool,
}

impl Vault {
    /// Writes the whole vault (database and every keychain secret it references) into one
    /// encrypted file's bytes, and records the backup in the audit log.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a passphrase under [`MIN_PASSPHRASE_CHARS`] characters;
    /// [`Error::Tampered`] when a referenced secret is missing from the keychain (the backup
    /// would be incomplete); [`Error::KeychainUnavailable`]; [`Error::Database`].
    pub fn backup(
        &mut self,
        passphrase: &SecretString,
        now: DateTime<Utc>,
    ) -> Result<(Vec<u8>, BackupSummary)> {
        if passphrase.expose_secret().chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(Error::InvalidInput {
                message: format!(
                    "the backup passphrase must have at least {MIN_PASSPHRASE_CHARS} characters: the file holds every private key"
                ),
            });
        }
        let mut secrets = Vec::new();
        for account in referenced_accounts(&self.db.sql())? {
            let secret = self.secrets.get(&account)?.ok_or_else(|| Error::Tampered {
                message: format!(
                    "the keychain entry {account} is missing, so the backup would be incomplete: run `tokenkeeper verify`, then import again or remove the credential or key it belongs to; nothing was written"
                ),
            })?;
            secrets.push((account, secret));
        }
        let database = file::serialize(self.db.sqlite().ok_or_else(team_database)?)?;
        let encrypted = file::write(
            &database,
            &secrets,
            self.db.schema_version()?,
            passphrase,
            now,
        )?;
        let summary = summary(&self.db.sql(), secrets.len())?;
        self.db.write(|tx| {
            events::append(
                tx,
                now,
                EventKind::BackupMade,
                None,
                None,
                &format!(
                    "encrypted backup made: {} client(s), {} credential(s), {} key(s), {} keychain entr(ies)",
                    summary.clients, summary.credentials, summary.keys, summary.secrets
                ),
            )
        })?;
        Ok((encrypted, summary))
    }

    /// Whether the vault holds no client and no key (a fresh install).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn is_empty(&self) -> Result<bool> {
        let n: i64 = self.db.sql().query_row(
            "SELECT (SELECT COUNT(*) FROM clients) + (SELECT COUNT(*) FROM keys)",
            crate::args![],
            |r| r.get(0),
        )?;
        Ok(n == 0)
    }

    /// Whether a restore may write here: the vault is empty, or `force` replaces it.
    ///
    /// # Errors
    /// [`Error::NotEmpty`] saying what is there; [`Error::Database`].
    pub fn ensure_restorable(&self, options: RestoreOptions) -> Result<()> {
        if options.force || self.is_empty()? {
            return Ok(());
        }
        let here = summary(&self.db.sql(), 0)?;
        Err(Error::NotEmpty {
            message: format!(
                "this TokenKeeper already holds {} client(s) and {} key(s): a restore replaces everything; restore on an empty TokenKeeper, or confirm replacing it all (--force); nothing was changed",
                here.clients, here.keys
            ),
        })
    }

    /// Restores a backup into this vault: its database replaces this one and its secrets go to
    /// this keychain. Everything is decrypted and checked first; nothing is written when the
    /// passphrase is wrong or the file damaged, and a failure while writing undoes what was
    /// written.
    ///
    /// # Errors
    /// [`Error::WrongPassword`], [`Error::CorruptBackup`], [`Error::NotEmpty`] (without
    /// `force`), [`Error::Database`] (a backup from a newer TokenKeeper),
    /// [`Error::KeychainUnavailable`].
    pub fn restore(
        &mut self,
        backup: &[u8],
        passphrase: &SecretString,
        options: RestoreOptions,
        now: DateTime<Utc>,
    ) -> Result<BackupSummary> {
        let opened = file::open(backup, passphrase)?;
        self.ensure_restorable(options)?;
        if self.db.sqlite().is_none() {
            return Err(team_database());
        }
        let previous_accounts = match referenced_accounts(&self.db.sql()) {
            Ok(accounts) => accounts,
            // A damaged database is what a forced restore repairs; the keychain entries it can
            // no longer list stay where they are.
            Err(Error::DatabaseDamaged { .. }) if options.force => Vec::new(),
            Err(e) => return Err(e),
        };
        let restored: BTreeSet<&String> = opened.secrets.iter().map(|(a, _)| a).collect();
        let orphans: Vec<String> = previous_accounts
            .into_iter()
            .filter(|a| !restored.contains(a))
            .collect();
        // The restored database arrives already journaling the secrets it makes unreferenced,
        // so a crash between the copy and their deletion leaves them to the sweep.
        opened.database.execute_batch(crate::db::STAGED_SECRETS)?;
        {
            let tx = opened.database.unchecked_transaction()?;
            staging::retire(&crate::db::Sql::new(&*tx), &orphans, now)?;
            tx.commit()?;
        }
        // Keychain first, remembering what each entry held, so a failure can put it back; each
        // journaled first, so a crash leaves nothing the sweep cannot find.
        let mut written: Vec<(String, Option<Zeroizing<Vec<u8>>>)> = Vec::new();
        let mut result = Ok(());
        for (account, secret) in &opened.secrets {
            let before = match self.secrets.get(account) {
                Ok(before) => before,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            if let Err(e) = self.journal_staged(account, now) {
                result = Err(e);
                break;
            }
            if let Err(e) = self.secrets.put(account, secret) {
                result = Err(e);
                break;
            }
            written.push((account.clone(), before));
        }
        let result = result.and_then(|()| {
            let conn = self.db.sqlite_mut().ok_or_else(team_database)?;
            let copy = Backup::new(&opened.database, conn)?;
            match copy.step(-1)? {
                StepResult::Done => Ok(()),
                _ => Err(Error::Database {
                    detail: "the database is busy (is the TokenKeeper app running?): close it and restore again".to_owned(),
                }),
            }
        });
        if let Err(e) = result {
            for (account, before) in written.iter().rev() {
                let _ = match before {
                    Some(value) => self.secrets.put(account, value),
                    None => self.secrets.delete(account),
                };
            }
            for (account, _) in &opened.secrets {
                let _ = self.db.sql().execute(
                    "DELETE FROM staged_secrets WHERE account = ?1 AND retired = 0",
                    crate::args![account],
                );
            }
            return Err(e);
        }
        if let Some(conn) = self.db.sqlite() {
            conn.flush_prepared_statement_cache();
        }
        self.db.migrate()?;
        self.forget_secrets(&orphans);
        let summary = summary(&self.db.sql(), opened.secrets.len())?;
        self.db.write(|tx| {
            events::append(
                tx,
                now,
                EventKind::BackupRestored,
                None,
                None,
                &format!(
                    "backup restored: {} client(s), {} credential(s), {} key(s), {} keychain entr(ies)",
                    summary.clients, summary.credentials, summary.keys, summary.secrets
                ),
            )
        })?;
        Ok(summary)
    }
}

/// Backups and restores copy the embedded database file; a team's shared database is backed up
/// on its server.
fn team_database() -> Error {
    Error::InvalidInput {
        message: "backup and restore copy this computer's TokenKeeper file; the team database is backed up on its PostgreSQL server (pg_dump), and its secrets are encrypted to the team's members; nothing was changed".to_owned(),
    }
}

/// Opens a backup file as [`Vault::restore`] does and writes nothing: the entry point of the
/// fuzz target. `max_work_factor` caps the scrypt work (log2) a file may ask for, so that
/// inputs stay fast; restore itself uses age's default cap.
///
/// # Errors
/// As [`Vault::restore`] before it writes anything.
#[cfg(feature = "fuzzing")]
pub fn open_for_fuzzing(
    backup: &[u8],
    passphrase: &SecretString,
    max_work_factor: Option<u8>,
) -> Result<()> {
    let mut identity = age::scrypt::Identity::new(passphrase.clone());
    if let Some(factor) = max_work_factor {
        identity.set_max_work_factor(factor);
    }
    file::unpack(&file::decrypt(backup, &identity)?).map(drop)
}

/// Reads an already decrypted backup archive (tar) as [`Vault::restore`] does: the fuzz
/// target's way past the passphrase.
///
/// # Errors
/// [`Error::CorruptBackup`], [`Error::Database`].
#[cfg(feature = "fuzzing")]
pub fn unpack_for_fuzzing(archive: &[u8]) -> Result<()> {
    file::unpack(archive).map(drop)
}

/// Every keychain account the database references, sorted, without duplicates.
pub(super) fn referenced_accounts(conn: &crate::db::Sql<'_>) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT key_ref FROM credentials WHERE key_ref IS NOT NULL
         UNION SELECT secret_ref FROM credentials WHERE secret_ref IS NOT NULL
         UNION SELECT key_ref FROM keys
         UNION SELECT secret_ref FROM mdm_connections",
    )?;
    let rows = stmt.query_map(crate::args![], |r| r.get::<String>(0))?;
    let set: BTreeSet<String> = rows.collect::<crate::db::SqlResult<_>>()?;
    Ok(set.into_iter().collect())
}

fn summary(conn: &crate::db::Sql<'_>, secrets: usize) -> Result<BackupSummary> {
    let count = |table: &str| -> Result<usize> {
        let n: i64 = conn.query_row(
            &format!("SELECT COUNT(*) FROM {table}"),
            crate::args![],
            |r| r.get(0),
        )?;
        Ok(usize::try_from(n).unwrap_or(0))
    };
    Ok(BackupSummary {
        clients: count("clients")?,
        credentials: count("credentials")?,
        keys: count("keys")?,
        secrets,
    })
}
