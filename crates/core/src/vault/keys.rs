//! Keys TokenKeeper makes or is given before any credential uses them: the private key of a push
//! CSR (waiting for Apple's certificate), a new ADE key pair (waiting for a token encrypted to
//! it), an existing MDM's ADE key, and MDM vendor signing identities. Each private key lives only
//! in the keychain; the `keys` table holds its account name and public facts. An import that
//! finds its key here moves it to the credential ([`super::import`]); `cert_export` hands a push
//! certificate and its key to the MDM.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};
use serde::Serialize;
use zeroize::Zeroizing;

mod ade;
mod apns;
mod saved;

pub use apns::{CertExport, PushRequest, SIGNING_EXPLANATION};
pub use saved::{CertFormat, CsrSaved, PushRequestSaved, chain_pem};

use super::{Vault, client_not_found, events, new_uid, parse_ts, staging, ts};
use crate::error::{Error, Recipient, Result};
use crate::pki;
use crate::token::PrivateKey;
use crate::vault::EventKind;

/// What a key on record is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum KeyPurpose {
    /// The key of a push CSR, waiting for its APNs certificate.
    PushCsr,
    /// An ADE key pair, waiting for a server token encrypted to its certificate.
    Ade,
    /// An MDM vendor signing identity (signs push CSRs).
    Vendor,
}

impl KeyPurpose {
    /// Stable identifier, as stored.
    pub fn id(self) -> &'static str {
        match self {
            KeyPurpose::PushCsr => "push_csr",
            KeyPurpose::Ade => "ade",
            KeyPurpose::Vendor => "vendor",
        }
    }

    fn parse(id: &str) -> Self {
        match id {
            "ade" => KeyPurpose::Ade,
            "vendor" => KeyPurpose::Vendor,
            _ => KeyPurpose::PushCsr,
        }
    }
}

/// A key on record: its public facts only.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KeyRecord {
    /// Stable id (what `keys remove`, `push-request --key` take).
    pub uid: String,
    /// The client it was made for (none for a vendor identity).
    pub client: Option<String>,
    /// What it is for.
    pub purpose: KeyPurpose,
    /// A name for people ("APNs CSR 2027-03-04", the vendor's label).
    pub label: String,
    /// The CSR's subject, or the certificate's.
    pub subject: String,
    /// SHA-256 of the public key.
    pub public_key_sha256: String,
    /// What a server token names when encrypted to this ADE key's certificate.
    pub recipient: Option<Recipient>,
    /// When the certificate expires (ADE, vendor).
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was made or added.
    pub created_at: DateTime<Utc>,
}

/// A pending key an import can use: its row and keychain account.
#[derive(Debug, Clone)]
pub(crate) struct PendingKey {
    pub uid: String,
    pub account: String,
    pub client: String,
}

struct NewKey<'a> {
    client: Option<&'a str>,
    purpose: KeyPurpose,
    label: String,
    secret: Zeroizing<Vec<u8>>,
    public_key_sha256: String,
    request: Option<Vec<u8>>,
    certificate: Option<Vec<u8>>,
    subject: String,
}

impl Vault {
    /// Every key on record (pending keys and vendor identities), newest first; only `client`'s
    /// (and no vendor) when given.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown client; [`Error::Database`].
    pub fn keys(&self, client: Option<&str>) -> Result<Vec<KeyRecord>> {
        let client = client.map(|c| self.client(c)).transpose()?;
        self.keys_of(client.as_ref().map(|c| c.name.as_str()), None)
    }

    /// Forgets a key on record: its row and its keychain entry. A CSR whose certificate has not
    /// arrived yet, or a new ADE certificate already uploaded, can then never be used.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Database`].
    pub fn remove_key(&mut self, uid: &str, now: DateTime<Utc>) -> Result<()> {
        let account = self.db.write(|tx| {
            let found: Option<(String, Option<String>, String)> = tx
                .query_row(
                    "SELECT k.key_ref, c.name, k.label FROM keys k
                     LEFT JOIN clients c ON c.id = k.client_id WHERE k.uid = ?1",
                    args![uid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (account, client, label) = found.ok_or_else(|| key_not_found(uid))?;
            tx.execute("DELETE FROM keys WHERE uid = ?1", args![uid])?;
            staging::retire(tx, std::slice::from_ref(&account), now)?;
            events::append(
                tx,
                now,
                EventKind::KeyRemoved,
                client.as_deref(),
                None,
                &format!("key \"{label}\" removed; its private key was deleted from the keychain"),
            )?;
            Ok(account)
        })?;
        self.forget_secrets(&[account]);
        Ok(())
    }

    /// A pending push key of any client whose public key is the certificate's.
    pub(crate) fn pending_push_key(&self, cert_der: &[u8]) -> Result<Option<PendingKey>> {
        let Ok(fingerprint) = pki::certificate_fingerprint(cert_der) else {
            return Ok(None);
        };
        Ok(self
            .pending(
                "k.purpose = 'push_csr' AND k.public_key_sha256 = ?1",
                &[&fingerprint],
            )?
            .into_iter()
            .next())
    }

    /// Pending ADE keys that may open a token for `recipient`: those whose certificate it names
    /// (of any client: an MDM may use one certificate for several), then `client`'s keys
    /// imported without a certificate.
    pub(crate) fn pending_ade_keys(
        &self,
        recipient: &Recipient,
        client: &str,
    ) -> Result<Vec<PendingKey>> {
        let mut keys = self.pending(
            "k.purpose = 'ade' AND k.recipient_issuer = ?1 AND k.recipient_serial = ?2",
            &[&recipient.issuer, &recipient.serial],
        )?;
        keys.extend(self.pending(
            "k.purpose = 'ade' AND k.certificate IS NULL AND c.name = ?1 COLLATE NOCASE",
            &[client],
        )?);
        Ok(keys)
    }

    /// The private key of a pending key.
    pub(crate) fn pending_private_key(&self, key: &PendingKey) -> Result<PrivateKey> {
        let pem = self.key_secret(&key.uid, "the pending private key")?;
        PrivateKey::from_bytes(&pem)
    }

    /// Pending keys of clients matching `filter` (joined as `k` and `c`), newest first.
    fn pending(&self, filter: &str, values: &[&str]) -> Result<Vec<PendingKey>> {
        let sql = format!(
            "SELECT k.uid, k.key_ref, c.name FROM keys k JOIN clients c ON c.id = k.client_id
             WHERE {filter} ORDER BY k.created_at DESC, k.id DESC"
        );
        let mut stmt = self.db.sql().prepare(&sql)?;
        let rows = stmt.query_map(&crate::db::args_from(values), |r| {
            Ok(PendingKey {
                uid: r.get(0)?,
                account: r.get(1)?,
                client: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
    }

    /// The keychain secret of a key on record.
    fn key_secret(&self, uid: &str, what: &str) -> Result<Zeroizing<Vec<u8>>> {
        let account: String = self
            .db
            .sql()
            .query_row("SELECT key_ref FROM keys WHERE uid = ?1", args![uid], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| key_not_found(uid))?;
        self.secrets.get(&account)?.ok_or_else(|| Error::Tampered {
            message: format!(
                "{what} is missing from the keychain: remove it (`tokenkeeper keys remove {uid}`) and make or add it again"
            ),
        })
    }

    fn keys_of(&self, client: Option<&str>, purpose: Option<KeyPurpose>) -> Result<Vec<KeyRecord>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT k.uid, c.name, k.purpose, k.label, k.subject, k.public_key_sha256,
                    k.recipient_issuer, k.recipient_serial, k.expires_at, k.created_at
             FROM keys k LEFT JOIN clients c ON c.id = k.client_id
             WHERE (CAST(?1 AS TEXT) IS NULL OR c.name = ?1 COLLATE NOCASE)
               AND (CAST(?2 AS TEXT) IS NULL OR k.purpose = ?2)
             ORDER BY k.created_at DESC, k.id DESC",
        )?;
        let rows = stmt.query_map(args![client, purpose.map(KeyPurpose::id)], |r| {
            let issuer: Option<String> = r.get(6)?;
            let serial: Option<String> = r.get(7)?;
            Ok(KeyRecord {
                uid: r.get(0)?,
                client: r.get(1)?,
                purpose: KeyPurpose::parse(&r.get::<String>(2)?),
                label: r.get(3)?,
                subject: r.get(4)?,
                public_key_sha256: r.get(5)?,
                recipient: issuer
                    .zip(serial)
                    .map(|(issuer, serial)| Recipient { issuer, serial }),
                expires_at: r.get::<Option<String>>(8)?.as_deref().and_then(parse_ts),
                created_at: parse_ts(&r.get::<String>(9)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
    }

    /// Keychain first, then the row; the keychain entry is deleted again if the row fails.
    fn insert_key(&mut self, k: NewKey<'_>, now: DateTime<Utc>) -> Result<KeyRecord> {
        let uid = new_uid();
        let account = format!("{uid}/key");
        let recipient = k
            .certificate
            .as_deref()
            .map(pki::recipient_of)
            .transpose()?;
        let expires_at = match &k.certificate {
            Some(der) => certificate_not_after(der),
            None => None,
        };
        self.stage_secret(&account, &k.secret, now)?;
        let written = self.db.write(|tx| {
            staging::claim(tx, &[&account])?;
            let client_id: Option<i64> = match k.client {
                Some(name) => Some(
                    tx.query_row(
                        "SELECT id FROM clients WHERE name = ?1 COLLATE NOCASE",
                        args![name],
                        |r| r.get(0),
                    )
                    .optional()?
                    .ok_or_else(|| client_not_found(name))?,
                ),
                None => None,
            };
            tx.execute(
                "INSERT INTO keys (uid, client_id, purpose, label, key_ref, public_key_sha256, request,
                    certificate, recipient_issuer, recipient_serial, subject, expires_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                args![
                    uid,
                    client_id,
                    k.purpose.id(),
                    k.label,
                    account,
                    k.public_key_sha256,
                    k.request,
                    k.certificate,
                    recipient.as_ref().map(|r| r.issuer.clone()),
                    recipient.as_ref().map(|r| r.serial.clone()),
                    k.subject,
                    expires_at.map(ts),
                    ts(now),
                ],
            )
            .map_err(|e| match e {
                e if e.is_constraint() => {
                    Error::AlreadyExists {
                        what: format!("an MDM vendor identity labelled \"{}\"", k.label),
                    }
                }
                other => other.into(),
            })?;
            let what = match k.purpose {
                KeyPurpose::PushCsr => "push CSR made; its private key is in the keychain",
                KeyPurpose::Ade => "ADE key pair kept; its private key is in the keychain",
                KeyPurpose::Vendor => "MDM vendor identity added; its key is in the keychain",
            };
            events::append(
                tx,
                now,
                EventKind::KeyAdded,
                k.client,
                None,
                &format!("{what} (\"{}\")", k.label),
            )
        });
        if let Err(e) = written {
            self.forget_secrets(&[account]);
            return Err(e);
        }
        self.keys_of(None, None)?
            .into_iter()
            .find(|r| r.uid == uid)
            .ok_or_else(|| key_not_found(&uid))
    }
}

fn certificate_not_after(der: &[u8]) -> Option<DateTime<Utc>> {
    use x509_parser::prelude::{FromDer, X509Certificate};
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    DateTime::from_timestamp(cert.validity().not_after.timestamp(), 0)
}

fn key_not_found(uid: &str) -> Error {
    Error::NotFound {
        what: format!("key {uid}"),
        hint: ": `tokenkeeper keys` lists the keys on record".to_owned(),
    }
}
