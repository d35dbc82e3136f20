//! The keychain journal: how a secret enters and leaves the keychain without a crash ever
//! leaving one behind that no record references.
//!
//! Keychains cannot be listed portably, so the database remembers every keychain item that may
//! exist without a record pointing at it (`staged_secrets`): a secret is journaled before it is
//! written ([`Vault::stage_secret`]), its row goes in the transaction that makes a record
//! reference it ([`claim`]), and a secret a record stops referencing is journaled as retired in
//! that same transaction ([`retire`]) before it is deleted. Whatever is killed where, the sweep
//! ([`Vault::sweep_secrets`]) later finds the leftovers: retired items at once, staged ones once
//! they are older than a grace period, so an import in flight is never touched.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::{Vault, parse_ts, ts};
use crate::error::{Error, Result};

/// How long a staged secret may wait for its record before the sweep takes it for a leftover
/// of a killed attempt. An import writes its record milliseconds after staging; this leaves
/// room for a writer queued behind another (15 s) many times over.
pub const STAGING_GRACE: Duration = Duration::minutes(15);

/// A keychain item no record references.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Orphan {
    /// Its keychain account (an identifier, never the secret).
    pub account: String,
    /// When it was staged or retired.
    pub since: DateTime<Utc>,
    /// `true` when a record stopped referencing it; `false` when an attempt that wrote it never
    /// finished.
    pub retired: bool,
}

/// What a sweep found and did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Sweep {
    /// Items deleted from the keychain (or found already gone).
    pub removed: Vec<Orphan>,
    /// Staged items still within the grace period: an attempt may be in flight.
    pub in_flight: usize,
    /// Journal rows dropped because a record references their item (a committed attempt).
    pub settled: usize,
}

/// Keychain accounts are unique per attempt: two processes renewing the same credential at once
/// never write, nor clean up, each other's items.
pub(crate) fn attempt_account(owner: &str, what: &str, revision: u32) -> String {
    format!("{owner}/{what}/{revision}/{}", &super::new_uid()[..12])
}

/// In the transaction that makes records reference `accounts`: they are no longer staged.
///
/// # Errors
/// [`Error::Conflict`] when the sweep took one of them (the attempt outlived the grace
/// period): nothing is committed and the caller deletes what it staged.
pub(crate) fn claim(tx: &crate::db::Sql<'_>, accounts: &[&str]) -> Result<()> {
    for account in accounts {
        let claimed = tx.execute(
            "DELETE FROM staged_secrets WHERE account = ?1 AND retired = 0",
            args![account],
        )?;
        if claimed == 0 {
            return Err(Error::Conflict {
                message: "this import waited so long that its staged secret was cleaned up as a leftover; import the file again".to_owned(),
            });
        }
    }
    Ok(())
}

/// In the transaction that stops records referencing `accounts`: journal them for deletion,
/// so a crash before [`Vault::forget_secrets`] leaves them to the sweep.
///
/// # Errors
/// [`Error::Database`].
pub(crate) fn retire(
    tx: &crate::db::Sql<'_>,
    accounts: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    for account in accounts {
        tx.execute(
            "INSERT INTO staged_secrets (account, staged_at, retired) VALUES (?1, ?2, 1)
             ON CONFLICT (account) DO UPDATE SET retired = 1",
            args![account, ts(now)],
        )?;
    }
    Ok(())
}

/// Whether a record references `account`.
fn referenced(tx: &crate::db::Sql<'_>, account: &str) -> Result<bool> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM credentials WHERE key_ref = ?1 OR secret_ref = ?1
             UNION ALL SELECT 1 FROM keys WHERE key_ref = ?1
             UNION ALL SELECT 1 FROM channels WHERE secret_ref = ?1
             UNION ALL SELECT 1 FROM mdm_connections WHERE secret_ref = ?1 LIMIT 1",
            args![account],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

impl Vault {
    /// Journals `account`, then writes `secret` under it. On a keychain failure the row goes
    /// again and the error is returned.
    ///
    /// # Errors
    /// [`Error::KeychainUnavailable`], [`Error::Database`].
    pub(crate) fn stage_secret(
        &self,
        account: &str,
        secret: &[u8],
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.journal_staged(account, now)?;
        if let Err(e) = self.secrets.put(account, secret) {
            self.forget_secrets(&[account.to_owned()]);
            return Err(e);
        }
        Ok(())
    }

    /// Journals `account` as staged (about to be written to the keychain).
    ///
    /// # Errors
    /// [`Error::Database`].
    pub(crate) fn journal_staged(&self, account: &str, now: DateTime<Utc>) -> Result<()> {
        // Outside any transaction (it must outlive a failed one): the one write that does not
        // pass through the write lock, so the one place a read-only copy refuses by itself.
        if let Some(reason) = self.db.read_only() {
            return Err(Error::ReadOnly {
                reason: reason.to_owned(),
            });
        }
        self.db.sql().execute(
            "INSERT INTO staged_secrets (account, staged_at, retired) VALUES (?1, ?2, 0)
             ON CONFLICT (account) DO UPDATE SET staged_at = excluded.staged_at, retired = 0",
            args![account, ts(now)],
        )?;
        Ok(())
    }

    /// Deletes keychain items no record references any more, and their journal rows. Best
    /// effort: what fails to go stays journaled for the next sweep, and a committed change is
    /// never undone for it.
    pub(crate) fn forget_secrets(&self, accounts: &[String]) {
        for account in accounts {
            if self.secrets.delete(account).is_ok() {
                let _ = self.db.sql().execute(
                    "DELETE FROM staged_secrets WHERE account = ?1",
                    args![account],
                );
            }
        }
    }

    /// Keychain items no record references: retired ones, and staged ones older than
    /// `grace` at `now`. Reads only.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn orphaned_secrets(&self, now: DateTime<Utc>, grace: Duration) -> Result<Vec<Orphan>> {
        let cutoff = ts(now - grace);
        let mut stmt = self.db.sql().prepare(
            "SELECT s.account, s.staged_at, s.retired FROM staged_secrets s
             WHERE (s.retired = 1 OR s.staged_at <= ?1)
               AND NOT EXISTS (SELECT 1 FROM credentials c
                               WHERE c.key_ref = s.account OR c.secret_ref = s.account)
               AND NOT EXISTS (SELECT 1 FROM keys k WHERE k.key_ref = s.account)
             ORDER BY s.staged_at, s.account",
        )?;
        let rows = stmt.query_map(args![cutoff], |r| {
            Ok(Orphan {
                account: r.get(0)?,
                since: parse_ts(&r.get::<String>(1)?).unwrap_or_default(),
                retired: r.get::<i64>(2)? == 1,
            })
        })?;
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
    }

    /// Removes every keychain item no record references (see [`Vault::orphaned_secrets`]) and
    /// drops the journal rows of items a record took. Each item is first marked retired in a
    /// write transaction that re-checks it is unreferenced, so an import committing at the same
    /// moment either keeps its item or is told to try again: never both.
    ///
    /// # Errors
    /// [`Error::Database`]; [`Error::KeychainUnavailable`] when an item cannot be deleted (it
    /// stays journaled).
    pub fn sweep_secrets(&mut self, now: DateTime<Utc>, grace: Duration) -> Result<Sweep> {
        let cutoff = ts(now - grace);
        let (doomed, settled, in_flight) = self.db.write(|tx| {
            let rows: Vec<(String, String, bool)> = {
                let mut stmt =
                    tx.prepare("SELECT account, staged_at, retired FROM staged_secrets")?;
                let rows = stmt.query_map(args![], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<i64>(2)? == 1))
                })?;
                rows.collect::<crate::db::SqlResult<Vec<_>>>()?
            };
            let (mut doomed, mut settled, mut in_flight) = (Vec::new(), 0, 0);
            for (account, since, retired) in rows {
                if referenced(tx, &account)? {
                    tx.execute(
                        "DELETE FROM staged_secrets WHERE account = ?1",
                        args![&account],
                    )?;
                    settled += 1;
                } else if retired || since <= cutoff {
                    tx.execute(
                        "UPDATE staged_secrets SET retired = 1 WHERE account = ?1",
                        args![&account],
                    )?;
                    doomed.push(Orphan {
                        since: parse_ts(&since).unwrap_or_default(),
                        account,
                        retired,
                    });
                } else {
                    in_flight += 1;
                }
            }
            Ok((doomed, settled, in_flight))
        })?;
        let mut removed = Vec::new();
        let mut failure = None;
        for orphan in doomed {
            match self.secrets.delete(&orphan.account) {
                Ok(()) => {
                    self.db.sql().execute(
                        "DELETE FROM staged_secrets WHERE account = ?1",
                        args![&orphan.account],
                    )?;
                    removed.push(orphan);
                }
                Err(e) => failure = Some(e),
            }
        }
        if let Some(e) = failure {
            return Err(e);
        }
        Ok(Sweep {
            removed,
            in_flight,
            settled,
        })
    }
}
