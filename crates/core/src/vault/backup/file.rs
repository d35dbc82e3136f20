//! The backup file: an age file (scrypt passphrase recipient) around a tar archive of
//! `manifest.json` (format, schema, SHA-256 of every part), `tokenkeeper.db` and `secrets/NNNN`.
//! Writing and opening are pure: nothing here touches the vault or the keychain.

use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::referenced_accounts;
use crate::db::MIGRATION_COUNT;
use crate::error::{Error, Result};
use crate::token::sha256_hex;
use crate::vault::ts;

const FORMAT: &str = "tokenkeeper-backup";
const VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "tokenkeeper.db";
/// No vault comes near this; a larger file is not a TokenKeeper backup.
const MAX_SIZE: u64 = 512 * 1024 * 1024;
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    created_at: String,
    schema_version: usize,
    database_sha256: String,
    secrets: Vec<SecretEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SecretEntry {
    account: String,
    file: String,
    sha256: String,
}

/// A backup decrypted and checked, not yet written anywhere.
pub(super) struct Opened {
    pub database: Connection,
    pub secrets: Vec<(String, Zeroizing<Vec<u8>>)>,
}

/// The encrypted backup of a database image and the keychain entries it references.
pub(super) fn write(
    database: &[u8],
    secrets: &[(String, Zeroizing<Vec<u8>>)],
    schema_version: usize,
    passphrase: &SecretString,
    now: DateTime<Utc>,
) -> Result<Vec<u8>> {
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        version: VERSION,
        created_at: ts(now),
        schema_version,
        database_sha256: sha256_hex(database),
        secrets: secrets
            .iter()
            .enumerate()
            .map(|(i, (account, secret))| SecretEntry {
                account: account.clone(),
                file: format!("secrets/{:04}", i + 1),
                sha256: sha256_hex(secret),
            })
            .collect(),
    };
    let archive = archive(&manifest, database, secrets, now)?;
    encrypt(&archive, passphrase)
}

/// A consistent image of the live database (SQLite's online backup into memory), marked as a
/// rollback-journal file so it opens anywhere.
pub(super) fn serialize(live: &Connection) -> Result<Vec<u8>> {
    let mut memory = Connection::open_in_memory()?;
    {
        let copy = Backup::new(live, &mut memory)?;
        if copy.step(-1)? != StepResult::Done {
            return Err(Error::Database {
                detail: "the database stayed busy during the backup: try again".to_owned(),
            });
        }
    }
    let mut image = memory.serialize(rusqlite::MAIN_DB)?.to_vec();
    mark_rollback_journal(&mut image);
    Ok(image)
}

/// Bytes 18 and 19 of the header say WAL (2) or rollback journal (1); an in-memory copy can only
/// be the latter.
fn mark_rollback_journal(image: &mut [u8]) {
    if let Some(versions) = image.get_mut(18..20) {
        versions.copy_from_slice(&[1, 1]);
    }
}

fn archive(
    manifest: &Manifest,
    database: &[u8],
    secrets: &[(String, Zeroizing<Vec<u8>>)],
    now: DateTime<Utc>,
) -> Result<Zeroizing<Vec<u8>>> {
    let manifest = serde_json::to_vec_pretty(manifest).map_err(|e| Error::Database {
        detail: format!("the backup manifest cannot be written: {e}"),
    })?;
    let secret_bytes: usize = secrets.iter().map(|(_, s)| s.len() + 1024).sum();
    // Reserved up front, so growing the buffer never leaves copies of secrets behind.
    let mut out = Zeroizing::new(Vec::with_capacity(
        database.len() + manifest.len() + secret_bytes + 16 * 1024,
    ));
    let failed = |e: std::io::Error| Error::Io {
        path: "backup archive".to_owned(),
        source: e,
    };
    {
        let mut tar = tar::Builder::new(&mut *out);
        let mut add = |path: &str, data: &[u8]| -> std::io::Result<()> {
            let mut header = tar::Header::new_ustar();
            header.set_size(u64::try_from(data.len()).unwrap_or(u64::MAX));
            header.set_mode(0o600);
            header.set_mtime(u64::try_from(now.timestamp()).unwrap_or(0));
            header.set_entry_type(tar::EntryType::Regular);
            tar.append_data(&mut header, path, data)
        };
        add(MANIFEST, &manifest).map_err(failed)?;
        add(DATABASE, database).map_err(failed)?;
        for (i, (_, secret)) in secrets.iter().enumerate() {
            add(&format!("secrets/{:04}", i + 1), secret).map_err(failed)?;
        }
        tar.finish().map_err(failed)?;
    }
    Ok(out)
}

fn encrypt(plain: &[u8], passphrase: &SecretString) -> Result<Vec<u8>> {
    let failed = |e: std::io::Error| Error::Io {
        path: "backup encryption".to_owned(),
        source: e,
    };
    let encryptor = age::Encryptor::with_user_passphrase(passphrase.clone());
    let mut out = Vec::with_capacity(plain.len() + plain.len() / 32 + 1024);
    let mut writer = encryptor.wrap_output(&mut out).map_err(failed)?;
    writer.write_all(plain).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

fn corrupt(detail: impl Into<String>) -> Error {
    Error::CorruptBackup {
        detail: detail.into(),
    }
}

/// Decrypts, unpacks and checks a backup, writing nothing.
pub(super) fn open(backup: &[u8], passphrase: &SecretString) -> Result<Opened> {
    let identity = age::scrypt::Identity::new(passphrase.clone());
    unpack(&decrypt(backup, &identity)?)
}

/// Reads the decrypted archive: manifest, database image and keychain entries, each checked
/// against the manifest.
pub(super) fn unpack(plain: &[u8]) -> Result<Opened> {
    let mut manifest: Option<Manifest> = None;
    let mut database: Option<Vec<u8>> = None;
    let mut files: Vec<(String, Zeroizing<Vec<u8>>)> = Vec::new();
    let mut archive = tar::Archive::new(plain);
    let entries = archive
        .entries()
        .map_err(|_| corrupt("its archive cannot be read"))?;
    for entry in entries {
        let mut entry = entry.map_err(|_| corrupt("its archive is damaged"))?;
        let path = entry
            .path()
            .map_err(|_| corrupt("its archive holds an unreadable name"))?
            .to_string_lossy()
            .into_owned();
        let mut data = Zeroizing::new(Vec::new());
        entry
            .read_to_end(&mut data)
            .map_err(|_| corrupt("its archive is truncated"))?;
        match path.as_str() {
            MANIFEST => {
                manifest = Some(
                    serde_json::from_slice(&data)
                        .map_err(|_| corrupt("its manifest is damaged"))?,
                );
            }
            DATABASE => database = Some(data.to_vec()),
            _ => files.push((path, data)),
        }
    }
    let manifest =
        manifest.ok_or_else(|| corrupt("it has no manifest (not a TokenKeeper backup)"))?;
    if manifest.format != FORMAT {
        return Err(corrupt("it is not a TokenKeeper backup"));
    }
    if manifest.version > VERSION {
        return Err(corrupt(
            "it was made by a newer TokenKeeper: update TokenKeeper, then restore",
        ));
    }
    let database = database.ok_or_else(|| corrupt("it holds no database"))?;
    if sha256_hex(&database) != manifest.database_sha256 {
        return Err(corrupt("its database does not match its manifest"));
    }
    let mut secrets = Vec::new();
    for entry in &manifest.secrets {
        let (_, data) = files
            .iter()
            .find(|(path, _)| *path == entry.file)
            .ok_or_else(|| corrupt(format!("the keychain entry {} is missing", entry.account)))?;
        if sha256_hex(data) != entry.sha256 {
            return Err(corrupt(format!(
                "the keychain entry {} does not match its manifest",
                entry.account
            )));
        }
        secrets.push((entry.account.clone(), data.clone()));
    }
    let database = open_database(&database)?;
    let referenced = referenced_accounts(&crate::db::Sql::new(&database))?;
    if let Some(missing) = referenced
        .iter()
        .find(|a| !secrets.iter().any(|(s, _)| s == *a))
    {
        return Err(corrupt(format!(
            "its database references the keychain entry {missing}, which it does not hold"
        )));
    }
    Ok(Opened { database, secrets })
}

/// The age layer, opened with `identity` (the passphrase, and how much scrypt work it allows).
pub(super) fn decrypt(
    backup: &[u8],
    identity: &age::scrypt::Identity,
) -> Result<Zeroizing<Vec<u8>>> {
    use age::DecryptError as E;
    if u64::try_from(backup.len()).unwrap_or(u64::MAX) > MAX_SIZE {
        return Err(corrupt(
            "the file is far larger than any TokenKeeper backup",
        ));
    }
    let decryptor = age::Decryptor::new_buffered(backup).map_err(|e| match e {
        E::UnknownFormat | E::InvalidHeader | E::Io(_) => {
            corrupt("it is not an encrypted TokenKeeper backup (its header is not an age header)")
        }
        other => corrupt(format!("its header is damaged ({other})")),
    })?;
    if !decryptor.is_scrypt() {
        return Err(corrupt(
            "it is encrypted to a key, not with a passphrase: it was not made by TokenKeeper",
        ));
    }
    let reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|e| match e {
            E::DecryptionFailed | E::NoMatchingKeys | E::KeyDecryptionFailed => {
                Error::WrongPassword {
                    what: "the backup".to_owned(),
                }
            }
            E::ExcessiveWork { .. } => corrupt(
                "its passphrase protection asks for far more work than this computer allows",
            ),
            E::InvalidMac => corrupt("its header was altered"),
            other => corrupt(format!("it cannot be decrypted ({other})")),
        })?;
    let mut plain = Zeroizing::new(Vec::with_capacity(backup.len()));
    reader
        .take(MAX_SIZE)
        .read_to_end(&mut plain)
        .map_err(|_| corrupt("its encrypted content is damaged or truncated"))?;
    Ok(plain)
}

/// Opens the database image in memory and checks it is a sound TokenKeeper database this
/// version can read.
fn open_database(image: &[u8]) -> Result<Connection> {
    let mut image = image.to_vec();
    mark_rollback_journal(&mut image);
    let mut conn = Connection::open_in_memory()?;
    conn.deserialize_read_exact(rusqlite::MAIN_DB, image.as_slice(), image.len(), false)
        .map_err(|_| corrupt("its database cannot be opened"))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| corrupt("its database is damaged"))?;
    if check != "ok" {
        return Err(corrupt("its database is damaged"));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > MIGRATION_COUNT {
        return Err(Error::Database {
            detail: format!(
                "this backup was made by a newer TokenKeeper (schema {version}); update TokenKeeper, then restore"
            ),
        });
    }
    let tables: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('clients', 'credentials')",
        [],
        |r| r.get(0),
    )?;
    if tables != 2 {
        return Err(corrupt("its database is not a TokenKeeper database"));
    }
    // A backup from before the `keys` table existed has no pending keys.
    let has_keys: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'keys'",
        [],
        |r| r.get(0),
    )?;
    if has_keys == 0 {
        conn.execute_batch("CREATE TEMP TABLE keys (key_ref TEXT NOT NULL); ")?;
    }
    Ok(conn)
}
