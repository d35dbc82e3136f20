//! A team sharing one database: its members and the secrets they share, end-to-end encrypted.
//!
//! Each technician holds an age X25519 key pair: the private half ([`MemberKey`]) lives in their
//! OS keychain, the public half (the "recipient", `age1…`) in the `team_members` table. Every
//! secret the team shares is stored in `team_secrets` only as an age file encrypted to every
//! current member, so the database server and its administrator see names and dates, never a
//! secret. Only a member can add or remove another: re-encrypting needs a private key.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::args;
use crate::db::{Db, Sql};
use crate::error::{Error, Result};
use crate::vault::{parse_ts, ts};

mod copy;
mod exposure;
mod key;
mod local_copy;
mod me;
mod store;

pub use copy::{CopyReport, copy_vault};
pub use exposure::Exposure;
pub use key::{MemberKey, fingerprint, key_account};
pub use local_copy::{LocalCopy, local_copy_path, open_local_copy, save_local_copy};
pub use me::Me;
pub use store::{Opener, TeamSecrets};

use exposure::exposures;
use key::{decrypt, encrypt, parse_recipient};

/// One member of the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Member {
    /// How the team calls them (unique among current members, case-insensitive).
    pub name: String,
    /// Their public key (`age1…`).
    pub recipient: String,
    /// [`fingerprint`] of it.
    pub fingerprint: String,
    /// When they were added.
    pub added_at: DateTime<Utc>,
    /// Who added them (`None`: they started the team).
    pub added_by: Option<String>,
}

/// What the app's settings show of the team: which database holds the vault, and who is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TeamView {
    /// Where the data is: the file's path, or the server's URL without its password.
    pub database: String,
    /// Whether it is a team's shared server (else this computer's own file).
    pub shared: bool,
    /// The member this desktop acts as (`None` on one technician's own file).
    pub me: Option<String>,
    /// The current members, by name (none on one technician's own file).
    pub members: Vec<Member>,
}

/// What removing a member did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Removal {
    /// Who left.
    pub member: Member,
    /// How many shared secrets were encrypted again without them.
    pub rewrapped: usize,
    /// Every secret they could have copied, with how to rotate it.
    pub exposed: Vec<Exposure>,
}

fn member_row(r: &crate::db::Row<'_>) -> crate::db::SqlResult<Member> {
    let recipient: String = r.get(1)?;
    Ok(Member {
        name: r.get(0)?,
        fingerprint: fingerprint(&recipient),
        recipient,
        added_at: parse_ts(r.get_ref(2)?.as_str()?).unwrap_or_default(),
        added_by: r.get(3)?,
    })
}

/// The current members, by name.
///
/// # Errors
/// [`Error::Database`].
pub fn members(sql: &Sql<'_>) -> Result<Vec<Member>> {
    Ok(sql.query_map(
        "SELECT name, recipient, added_at, added_by FROM team_members
         WHERE removed_at IS NULL ORDER BY name COLLATE NOCASE",
        args![],
        member_row,
    )?)
}

/// Whether the database has a team: at least one current member.
///
/// # Errors
/// [`Error::Database`].
pub fn has_members(sql: &Sql<'_>) -> Result<bool> {
    let count: i64 = sql.query_row(
        "SELECT COUNT(*) FROM team_members WHERE removed_at IS NULL",
        args![],
        |r| r.get(0),
    )?;
    Ok(count > 0)
}

/// The current member whose key is `key`.
///
/// # Errors
/// [`Error::NotFound`] (saying how to be added) when `key` is no current member's;
/// [`Error::Database`].
pub fn member_holding(sql: &Sql<'_>, key: &MemberKey) -> Result<Member> {
    let recipient = key.recipient();
    members(sql)?
        .into_iter()
        .find(|m| m.recipient == recipient)
        .ok_or_else(|| Error::NotFound {
            what: "your team key among the team's members".to_owned(),
            hint: format!(
                ": ask a member to add you with `tokenkeeper team members add NAME {recipient}`"
            ),
        })
}

fn recipients(sql: &Sql<'_>) -> Result<Vec<age::x25519::Recipient>> {
    members(sql)?
        .iter()
        .map(|m| parse_recipient(&m.recipient))
        .collect()
}

/// Starts a team on `db`: `name` is its first member, holding `key`.
///
/// # Errors
/// [`Error::AlreadyExists`] when the database already has a team; [`Error::Database`].
pub fn start(db: &mut Db, name: &str, key: &MemberKey, now: DateTime<Utc>) -> Result<Member> {
    let name = checked_name(name)?;
    db.write(|tx| {
        if !members(tx)?.is_empty() {
            return Err(Error::AlreadyExists {
                what: "a team on this database: join it instead (`tokenkeeper team join`)"
                    .to_owned(),
            });
        }
        insert_member(tx, name, &key.recipient(), None, now)
    })
}

fn checked_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(Error::InvalidInput {
            message: "a team member's name must have 1 to 80 characters".to_owned(),
        });
    }
    Ok(name)
}

fn insert_member(
    tx: &Sql<'_>,
    name: &str,
    recipient: &str,
    by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Member> {
    parse_recipient(recipient)?;
    let taken = |e: crate::db::DbError| {
        if e.is_constraint() {
            Error::AlreadyExists {
                what: format!("a team member named \"{name}\" or with this key"),
            }
        } else {
            e.into()
        }
    };
    tx.execute(
        "INSERT INTO team_members (name, recipient, added_at, added_by) VALUES (?1, ?2, ?3, ?4)",
        args![name, recipient.trim(), ts(now), by],
    )
    .map_err(taken)?;
    Ok(Member {
        name: name.to_owned(),
        recipient: recipient.trim().to_owned(),
        fingerprint: fingerprint(recipient.trim()),
        added_at: now,
        added_by: by.map(str::to_owned),
    })
}

/// Encrypts every shared secret again, to the current members. Done in the transaction that
/// changed who they are, so a secret is never readable by a different set than `team_members`
/// says.
fn rewrap(tx: &Sql<'_>, key: &MemberKey) -> Result<usize> {
    let to = recipients(tx)?;
    let secrets: Vec<(String, Vec<u8>)> = tx.query_map(
        "SELECT account, ciphertext FROM team_secrets ORDER BY account",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (account, ciphertext) in &secrets {
        let plain = decrypt(key, account, ciphertext)?;
        tx.execute(
            "UPDATE team_secrets SET ciphertext = ?1 WHERE account = ?2",
            args![encrypt(&to, &plain)?, account],
        )?;
    }
    Ok(secrets.len())
}

/// The member `by` (holding `key`) adds `name` with public key `recipient`, and every shared
/// secret becomes readable by them.
///
/// # Errors
/// [`Error::InvalidInput`] for a malformed key, [`Error::AlreadyExists`] for a name or key
/// already in, [`Error::KeychainUnavailable`] when `key` is not a member's; [`Error::Database`].
pub fn add(
    db: &mut Db,
    key: &MemberKey,
    by: &str,
    name: &str,
    recipient: &str,
    now: DateTime<Utc>,
) -> Result<Member> {
    let name = checked_name(name)?;
    db.write(|tx| {
        let member = insert_member(tx, name, recipient, Some(by), now)?;
        rewrap(tx, key)?;
        Ok(member)
    })
}

/// The member `by` (holding `key`) removes `name`: every shared secret is encrypted again
/// without them, and the report lists what they could have copied while they were in.
///
/// # Errors
/// [`Error::NotFound`] for no such member, [`Error::InvalidInput`] when removing the last
/// member, [`Error::KeychainUnavailable`] when `key` is not a member's; [`Error::Database`].
pub fn remove(
    db: &mut Db,
    key: &MemberKey,
    by: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Removal> {
    db.write(|tx| {
        let current = members(tx)?;
        let member = current
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(name.trim()))
            .cloned()
            .ok_or_else(|| Error::NotFound {
                what: format!("team member \"{}\"", name.trim()),
                hint: ": `tokenkeeper team members list` shows them".to_owned(),
            })?;
        if current.len() == 1 {
            return Err(Error::InvalidInput {
                message: "the last member cannot be removed: nobody could read the team's secrets any more".to_owned(),
            });
        }
        tx.execute(
            "UPDATE team_members SET removed_at = ?1, removed_by = ?2
             WHERE recipient = ?3 AND removed_at IS NULL",
            args![ts(now), by, member.recipient],
        )?;
        let rewrapped = rewrap(tx, key)?;
        let exposed = exposures(tx)?;
        Ok(Removal {
            member,
            rewrapped,
            exposed,
        })
    })
}

#[cfg(test)]
mod tests;
