//! A team sharing one database: its members and the secrets they share, end-to-end encrypted.
//!
//! Each technician holds an age X25519 key pair: the private half ([`MemberKey`]) lives in their
//! OS keychain, the public half (the "recipient", `age1…`) in the `team_members` table. Every
//! secret the team shares is stored in `team_secrets` only as an age file encrypted to every
//! current member, so the database server and its administrator see names and dates, never a
//! secret. Only a member can add or remove another: re-encrypting needs a private key.

use std::str::FromStr;
use std::sync::{Mutex, PoisonError};

use age::secrecy::ExposeSecret;
use chrono::{DateTime, Utc};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::args;
use crate::db::{Db, Sql};
use crate::error::{Error, Result};
use crate::secrets::SecretStore;
use crate::vault::{parse_ts, ts};

mod copy;

pub use copy::{CopyReport, copy_vault};

/// A technician's private key: decrypts what the team shares. Kept in the OS keychain only.
pub struct MemberKey(age::x25519::Identity);

impl std::fmt::Debug for MemberKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("MemberKey").field(&self.recipient()).finish()
    }
}

impl MemberKey {
    /// A new random key pair.
    pub fn generate() -> Self {
        Self(age::x25519::Identity::generate())
    }

    /// The key as stored in the keychain (`AGE-SECRET-KEY-1…`).
    pub fn to_secret(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.0.to_string().expose_secret().as_bytes().to_vec())
    }

    /// The key read back from the keychain.
    ///
    /// # Errors
    /// [`Error::Tampered`] when the entry does not hold a key.
    pub fn from_secret(secret: &[u8]) -> Result<Self> {
        std::str::from_utf8(secret)
            .ok()
            .and_then(|s| age::x25519::Identity::from_str(s.trim()).ok())
            .map(Self)
            .ok_or_else(|| Error::Tampered {
                message: "the keychain entry of your team key does not hold an age key: remove it and join the team again".to_owned(),
            })
    }

    /// The public half, what the team encrypts to (`age1…`).
    pub fn recipient(&self) -> String {
        self.0.to_public().to_string()
    }
}

/// The keychain account holding the team key a technician uses for the database at
/// `location` (a server URL without its password): one key per team database.
pub fn key_account(location: &str) -> String {
    format!(
        "team-key/{}",
        &crate::token::sha256_hex(location.as_bytes())[..16]
    )
}

/// A short, readable fingerprint of a recipient, to compare aloud before trusting it.
pub fn fingerprint(recipient: &str) -> String {
    let hex = crate::token::sha256_hex(recipient.as_bytes());
    hex.as_bytes()[..20]
        .chunks(4)
        .map(|c| {
            std::str::from_utf8(c)
                .unwrap_or_default()
                .to_ascii_uppercase()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_recipient(recipient: &str) -> Result<age::x25519::Recipient> {
    age::x25519::Recipient::from_str(recipient.trim()).map_err(|e| Error::InvalidInput {
        message: format!(
            "\"{recipient}\" is not a team member's public key ({e}): ask them for the age1… key `tokenkeeper team join` printed"
        ),
    })
}

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

/// A secret a removed member could read while they were in, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Exposure {
    /// The client concerned (`None` for the team's own: a vendor identity, a channel).
    pub client: Option<String>,
    /// What the secret is.
    pub what: String,
    /// How to make the copy they may hold useless.
    pub rotate: String,
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

fn encrypt(to: &[age::x25519::Recipient], plaintext: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let failed = |e: &dyn std::fmt::Display| Error::Database {
        detail: format!("encrypting a shared secret failed: {e}"),
    };
    if to.is_empty() {
        return Err(Error::InvalidInput {
            message: "the team has no members to encrypt to: run `tokenkeeper team init` first"
                .to_owned(),
        });
    }
    let encryptor = age::Encryptor::with_recipients(to.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|e| failed(&e))?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).map_err(|e| failed(&e))?;
    writer.write_all(plaintext).map_err(|e| failed(&e))?;
    writer.finish().map_err(|e| failed(&e))?;
    Ok(out)
}

fn decrypt(key: &MemberKey, account: &str, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let refused = || Error::KeychainUnavailable {
        detail: format!(
            "the team secret {account} is not readable with your team key: it was written before you joined and no member has opened the team since, or you were removed; ask a member to run `tokenkeeper team members list`"
        ),
    };
    let decryptor = age::Decryptor::new_buffered(ciphertext).map_err(|_| refused())?;
    let mut reader = decryptor
        .decrypt(std::iter::once(&key.0 as &dyn age::Identity))
        .map_err(|_| refused())?;
    let mut out = Zeroizing::new(Vec::new());
    reader.read_to_end(&mut out).map_err(|_| refused())?;
    Ok(out)
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

/// Every shared secret, named by what it belongs to, with how to rotate it.
fn exposures(tx: &Sql<'_>) -> Result<Vec<Exposure>> {
    let mut out = tx.query_map(
        "SELECT c.name, cr.kind, cr.label, CASE WHEN s.account = cr.key_ref THEN 1 ELSE 0 END
         FROM team_secrets s
         JOIN credentials cr ON s.account = cr.key_ref OR s.account = cr.secret_ref
         JOIN clients c ON c.id = cr.client_id
         ORDER BY c.name COLLATE NOCASE, cr.label COLLATE NOCASE",
        args![],
        |r| {
            let kind: String = r.get(1)?;
            let label: String = r.get(2)?;
            let is_key: bool = r.get(3)?;
            let (what, rotate) = match (kind.as_str(), is_key) {
                ("push_certificate", _) => (
                    format!("the private key of the push certificate \"{label}\""),
                    "with it and the certificate anyone can send push wake-ups (not commands) to the devices until it expires: renew the certificate now with a new CSR (Renew, same Apple Account, same topic), then import it".to_owned(),
                ),
                ("server_token", true) => (
                    format!("the private key that decrypts the server token \"{label}\""),
                    "in Apple Business/School Manager, download a new server token for this MDM server with a new public key, then import it".to_owned(),
                ),
                ("server_token", false) => (
                    format!("the OAuth values of the server token \"{label}\""),
                    "in Apple Business/School Manager, download a new server token for this MDM server (the old one stops working), then import it".to_owned(),
                ),
                _ => (
                    format!("the content token \"{label}\""),
                    "in Apple Business/School Manager, Apps and Books, download the token again for this location (the old one is revoked), then import it".to_owned(),
                ),
            };
            Ok(Exposure {
                client: Some(r.get(0)?),
                what,
                rotate,
            })
        },
    )?;
    out.extend(tx.query_map(
        "SELECT c.name, m.name FROM team_secrets s
         JOIN mdm_connections m ON m.secret_ref = s.account
         JOIN clients c ON c.id = m.client_id ORDER BY c.name COLLATE NOCASE, m.name",
        args![],
        |r| {
            let name: String = r.get(1)?;
            Ok(Exposure {
                client: Some(r.get(0)?),
                what: format!("the API secret of the MDM connection \"{name}\""),
                rotate: "create a new API secret in the MDM's console, revoke the old one, and update the connection".to_owned(),
            })
        },
    )?);
    out.extend(tx.query_map(
        "SELECT ch.name FROM team_secrets s JOIN channels ch ON ch.secret_ref = s.account
         ORDER BY ch.name COLLATE NOCASE",
        args![],
        |r| {
            let name: String = r.get(0)?;
            Ok(Exposure {
                client: None,
                what: format!("the secret of the alert channel \"{name}\" (webhook URL or mail password)"),
                rotate: "create a new webhook URL or mail password, revoke the old one, and update the channel".to_owned(),
            })
        },
    )?);
    out.extend(tx.query_map(
        "SELECT k.label FROM team_secrets s JOIN keys k ON k.key_ref = s.account
         WHERE k.purpose = 'vendor' ORDER BY k.label COLLATE NOCASE",
        args![],
        |r| {
            let label: String = r.get(0)?;
            Ok(Exposure {
                client: None,
                what: format!("the MDM vendor identity \"{label}\""),
                rotate: "make a new vendor identity and have it signed again".to_owned(),
            })
        },
    )?);
    Ok(out)
}

/// The team's shared secret store: secrets in the team database, each encrypted to every
/// current member, read with this technician's key. A [`SecretStore`] like the keychain, so
/// the vault keeps secrets the same way on either.
pub struct TeamSecrets {
    db: Mutex<Option<Db>>,
    opener: Option<Opener>,
    key: MemberKey,
    me: String,
}

/// Opens the store's own connection to the team database, the first time a secret is needed.
pub type Opener = Box<dyn Fn() -> Result<Db> + Send + Sync>;

impl std::fmt::Debug for TeamSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamSecrets")
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

impl TeamSecrets {
    /// The store on `db` (a connection of its own to the team database), for the member
    /// holding `key`.
    ///
    /// # Errors
    /// [`Error::NotFound`] when `key` is not a current member's; [`Error::Database`].
    pub fn open(db: Db, key: MemberKey) -> Result<Self> {
        let me = member_holding(&db.sql(), &key)?.name;
        Ok(Self {
            db: Mutex::new(Some(db)),
            opener: None,
            key,
            me,
        })
    }

    /// The store for `me`, a current member holding `key` (checked by the caller), whose
    /// connection `opener` makes only when a secret is first read or written: a command that
    /// needs none (a status report) never connects twice.
    pub fn lazy(key: MemberKey, me: String, opener: Opener) -> Self {
        Self {
            db: Mutex::new(None),
            opener: Some(opener),
            key,
            me,
        }
    }

    /// Runs `f` on the store's connection, made first if need be.
    fn with_db<T>(&self, f: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        let mut db = self.db.lock().unwrap_or_else(PoisonError::into_inner);
        if db.is_none() {
            let open = self.opener.as_ref().ok_or_else(|| Error::Database {
                detail: "the team's secret store has no connection".to_owned(),
            })?;
            *db = Some(open()?);
        }
        match db.as_mut() {
            Some(db) => f(db),
            None => Err(Error::Database {
                detail: "the team's secret store has no connection".to_owned(),
            }),
        }
    }

    /// The member this store reads for.
    pub fn member(&self) -> &str {
        &self.me
    }
}

impl SecretStore for TeamSecrets {
    fn put(&self, account: &str, secret: &[u8]) -> Result<()> {
        let now = Utc::now();
        self.with_db(|db| {
            db.write(|tx| {
                let ciphertext = encrypt(&recipients(tx)?, secret)?;
                tx.execute(
                    "INSERT INTO team_secrets (account, ciphertext, written_at, written_by)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (account) DO UPDATE SET ciphertext = excluded.ciphertext,
                         written_at = excluded.written_at, written_by = excluded.written_by",
                    args![account, ciphertext, ts(now), self.me],
                )?;
                Ok(())
            })
        })
    }

    fn get(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        let ciphertext: Option<Vec<u8>> = self.with_db(|db| {
            Ok(db.sql().query_opt(
                "SELECT ciphertext FROM team_secrets WHERE account = ?1",
                args![account],
                |r| r.get(0),
            )?)
        })?;
        ciphertext
            .map(|c| decrypt(&self.key, account, &c))
            .transpose()
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.with_db(|db| {
            db.write(|tx| {
                tx.execute(
                    "DELETE FROM team_secrets WHERE account = ?1",
                    args![account],
                )?;
                Ok(())
            })
        })
    }
}

#[cfg(test)]
mod tests;
