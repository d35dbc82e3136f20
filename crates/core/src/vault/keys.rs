//! Keys TokenKeeper makes or is given before any credential uses them: the private key of a push
//! CSR (waiting for Apple's certificate), a new ADE key pair (waiting for a token encrypted to
//! it), an existing MDM's ADE key, and MDM vendor signing identities. Each private key lives only
//! in the keychain; the `keys` table holds its account name and public facts. An import that
//! finds its key here moves it to the credential ([`super::import`]); `cert_export` hands a push
//! certificate and its key to the MDM.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use zeroize::Zeroizing;

use super::{Vault, client_not_found, events, new_uid, parse_ts, ts};
use crate::error::{Error, Recipient, Result};
use crate::pki::{self, abm, csr, pkcs12, push_request::VendorIdentity};
use crate::token::{Kind, PrivateKey};

/// What TokenKeeper says when a CSR cannot be signed here: who signs it, and the tracked-only way.
pub const SIGNING_EXPLANATION: &str = "Apple's portal accepts a push CSR only once an MDM vendor has signed it, and no MDM vendor certificate is on record in TokenKeeper. Send the CSR to your MDM vendor or a CSR signing service, upload the signed request they return at identity.apple.com, then import the certificate: TokenKeeper matches it to the key it kept. If your MDM makes its own CSR and keeps the key (Intune and most hosted MDMs do), use your MDM's CSR instead and import only the certificate: TokenKeeper then tracks it (expiry and topic) without holding a key. If you hold an MDM vendor certificate, add its .p12 to TokenKeeper to sign requests here.";

/// What a key on record is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

/// A signed push request, ready to upload.
#[derive(Debug, Clone)]
pub struct PushRequest {
    /// The base64 plist to upload at identity.apple.com.
    pub encoded: String,
    /// The CSR key it is for.
    pub key_uid: String,
    /// The vendor identity that signed it.
    pub vendor: String,
    /// Whether the chain reaches Apple's root; when false, the portal may refuse the request.
    pub chain_complete: bool,
}

/// What `cert_export` writes.
#[derive(Debug, Clone)]
pub enum CertExport {
    /// A password-protected PKCS#12.
    Pkcs12 {
        /// The export password.
        password: secrecy::SecretString,
        /// Modern (AES) or legacy (3DES) protection.
        protection: pkcs12::Protection,
    },
    /// Certificate and unencrypted PKCS#8 key, one PEM file.
    Pem,
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
    /// Makes an RSA-2048 key in the keychain and the push CSR for it (subject CN, C, e-mail).
    /// The key waits, as a pending key of `client`, for the certificate Apple issues.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown client; [`Error::KeychainUnavailable`];
    /// [`Error::Database`].
    pub fn create_push_csr(
        &mut self,
        client: &str,
        subject: &csr::CsrSubject,
        now: DateTime<Utc>,
    ) -> Result<(KeyRecord, csr::CertificateRequest)> {
        let client = self.client(client)?;
        let key = pki::generate_rsa_key()?;
        let request = csr::push_csr(&key, subject)?;
        let record = self.insert_key(
            NewKey {
                client: Some(&client.name),
                purpose: KeyPurpose::PushCsr,
                label: format!("APNs CSR {}", now.format("%Y-%m-%d %H:%M")),
                secret: key.to_pkcs8_pem()?,
                public_key_sha256: pki::key_fingerprint(&key)?,
                request: Some(request.der.clone()),
                certificate: None,
                subject: format!(
                    "CN={}, C={}, emailAddress={}",
                    subject.common_name, subject.country, subject.email
                ),
            },
            now,
        )?;
        Ok((record, request))
    }

    /// The CSR made with a pending push key.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn push_csr(&self, key_uid: &str) -> Result<csr::CertificateRequest> {
        let der: Option<Vec<u8>> = self
            .db
            .conn()
            .query_row(
                "SELECT request FROM keys WHERE uid = ?1 AND purpose = 'push_csr'",
                [key_uid],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        der.map(|der| csr::CertificateRequest { der })
            .ok_or_else(|| key_not_found(key_uid))
    }

    /// Keeps an MDM vendor identity (a `.p12` opened with its password) in the keychain, to sign
    /// push CSRs. `extra_chain` adds certificates the `.p12` lacks (Apple's intermediate and root).
    ///
    /// # Errors
    /// [`Error::WrongPassword`], [`Error::InvalidKey`], [`Error::KeyRequired`] (no certificate
    /// in the file), [`Error::AlreadyExists`] for a label in use, [`Error::KeychainUnavailable`].
    pub fn add_vendor(
        &mut self,
        label: Option<&str>,
        p12: &[u8],
        password: &str,
        extra_chain: &[u8],
        now: DateTime<Utc>,
    ) -> Result<KeyRecord> {
        let bundle = pkcs12::open(p12, password)?;
        let vendor = VendorIdentity::from_bundle(bundle, &pki::certificates_in(extra_chain))?;
        let subject = vendor.subject();
        let label = label
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map_or_else(|| subject.clone(), str::to_owned);
        let certificate = vendor.certificate_der();
        self.insert_key(
            NewKey {
                client: None,
                purpose: KeyPurpose::Vendor,
                label,
                secret: vendor.to_pem_bundle()?,
                public_key_sha256: pki::certificate_fingerprint(&certificate)?,
                request: None,
                certificate: Some(certificate),
                subject,
            },
            now,
        )
    }

    /// Signs a pending push CSR of `client` with a vendor identity: the request to upload at
    /// identity.apple.com. `key_uid` picks the CSR (default: the client's newest), `vendor` the
    /// identity by label (default: the only one).
    ///
    /// # Errors
    /// [`Error::VendorRequired`] (with [`SIGNING_EXPLANATION`]) when no vendor identity is on
    /// record; [`Error::NotFound`] when the client has no pending CSR; [`Error::Ambiguous`] when
    /// several vendors could sign; [`Error::KeychainUnavailable`], [`Error::Tampered`].
    pub fn push_request(
        &self,
        client: &str,
        key_uid: Option<&str>,
        vendor: Option<&str>,
    ) -> Result<PushRequest> {
        let client = self.client(client)?;
        let vendors = self.keys_of(None, Some(KeyPurpose::Vendor))?;
        let vendor = match (vendor, vendors.as_slice()) {
            (_, []) => {
                return Err(Error::VendorRequired {
                    message: SIGNING_EXPLANATION.to_owned(),
                });
            }
            (Some(label), all) => all
                .iter()
                .find(|v| v.label.eq_ignore_ascii_case(label.trim()) || v.uid == label)
                .ok_or_else(|| Error::NotFound {
                    what: format!("MDM vendor identity \"{label}\""),
                    hint: ": `tokenkeeper keys` lists them".to_owned(),
                })?,
            (None, [only]) => only,
            (None, several) => {
                return Err(Error::Ambiguous {
                    message: format!(
                        "several MDM vendor identities are on record ({}): say which one signs",
                        several
                            .iter()
                            .map(|v| format!("\"{}\"", v.label))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        };
        let csrs = self.keys_of(Some(&client.name), Some(KeyPurpose::PushCsr))?;
        let csr_key = match key_uid {
            Some(uid) => csrs.iter().find(|k| k.uid == uid),
            // Newest first.
            None => csrs.first(),
        }
        .ok_or_else(|| Error::NotFound {
            what: format!("a pending push CSR for {}", client.name),
            hint: ": make one first (`tokenkeeper csr`)".to_owned(),
        })?;
        let request = self.push_csr(&csr_key.uid)?;
        let bundle = self.key_secret(&vendor.uid, "the MDM vendor identity")?;
        let identity = VendorIdentity::from_pem_bundle(&bundle)?;
        let signed = identity.push_request(&request.der)?;
        Ok(PushRequest {
            encoded: signed.encoded,
            key_uid: csr_key.uid.clone(),
            vendor: vendor.label.clone(),
            chain_complete: identity.chain_is_complete(),
        })
    }

    /// Makes a new ADE key pair for `client`: an RSA-2048 key in the keychain and the
    /// certificate to upload to the MDM server entry in ABM/ASM. The client's current key stays
    /// in use until a token encrypted to the new certificate is imported.
    ///
    /// # Errors
    /// [`Error::NotFound`], [`Error::KeychainUnavailable`], [`Error::Database`].
    pub fn create_ade_key(
        &mut self,
        client: &str,
        common_name: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(KeyRecord, Vec<u8>)> {
        let client = self.client(client)?;
        let key = pki::generate_rsa_key()?;
        let name = common_name
            .map(str::to_owned)
            .unwrap_or_else(|| format!("TokenKeeper ADE {}", client.name));
        let name: String = name.chars().take(64).collect();
        let certificate = abm::abm_certificate(&key, &name, now)?;
        let record = self.insert_key(
            NewKey {
                client: Some(&client.name),
                purpose: KeyPurpose::Ade,
                label: format!("ADE key pair {}", now.format("%Y-%m-%d %H:%M")),
                secret: key.to_pkcs8_pem()?,
                public_key_sha256: pki::key_fingerprint(&key)?,
                request: None,
                certificate: Some(certificate.clone()),
                subject: pki::subject_of(&certificate)?,
            },
            now,
        )?;
        Ok((record, certificate))
    }

    /// Keeps an existing MDM's ADE key (PKCS#1 or PKCS#8 PEM, encrypted PEM, DER, PKCS#12) with
    /// its certificate, so the tokens encrypted to it can be read. Without the certificate the
    /// key is still tried on the client's tokens.
    ///
    /// # Errors
    /// As [`abm::read_key_material`]; [`Error::NotFound`]; [`Error::KeychainUnavailable`].
    pub fn import_ade_key(
        &mut self,
        client: &str,
        key_file: &[u8],
        password: Option<&str>,
        certificate_file: &[u8],
        now: DateTime<Utc>,
    ) -> Result<KeyRecord> {
        let client = self.client(client)?;
        let bundle = abm::read_key_material(key_file, password, certificate_file)?;
        let subject = match &bundle.certificate {
            Some(c) => pki::subject_of(c)?,
            None => "no certificate given".to_owned(),
        };
        self.insert_key(
            NewKey {
                client: Some(&client.name),
                purpose: KeyPurpose::Ade,
                label: format!("imported ADE key {}", now.format("%Y-%m-%d %H:%M")),
                secret: bundle.key.to_pkcs8_pem()?,
                public_key_sha256: pki::key_fingerprint(&bundle.key)?,
                request: None,
                certificate: bundle.certificate,
                subject,
            },
            now,
        )
    }

    /// The certificate of a pending ADE key (to upload again).
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub fn ade_certificate(&self, key_uid: &str) -> Result<Vec<u8>> {
        let der: Option<Vec<u8>> = self
            .db
            .conn()
            .query_row(
                "SELECT certificate FROM keys WHERE uid = ?1 AND purpose = 'ade'",
                [key_uid],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        der.ok_or_else(|| key_not_found(key_uid))
    }

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
                    [uid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let (account, client, label) = found.ok_or_else(|| key_not_found(uid))?;
            tx.execute("DELETE FROM keys WHERE uid = ?1", [uid])?;
            events::append(
                tx,
                now,
                "key_removed",
                client.as_deref(),
                None,
                &format!("key \"{label}\" removed; its private key was deleted from the keychain"),
            )?;
            Ok(account)
        })?;
        self.forget_secrets(&[account]);
        Ok(())
    }

    /// The push certificate of `client` (by label when it has several) with its private key, as
    /// a password-protected PKCS#12 or a PEM bundle, for the MDM that imports them. Recorded in
    /// the audit log.
    ///
    /// # Errors
    /// [`Error::KeyRequired`] for a tracked-only certificate (its MDM holds the key);
    /// [`Error::NotFound`], [`Error::Ambiguous`], [`Error::Tampered`] (key missing from the
    /// keychain), [`Error::KeyMismatch`].
    pub fn cert_export(
        &mut self,
        client: &str,
        label: Option<&str>,
        format: &CertExport,
        now: DateTime<Utc>,
    ) -> Result<Zeroizing<Vec<u8>>> {
        use secrecy::ExposeSecret;
        let client = self.client(client)?;
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT cr.uid, cr.label, cr.key_ref, cr.identity,
                    (SELECT v.certificate FROM versions v WHERE v.credential_id = cr.id
                     ORDER BY v.revision DESC LIMIT 1)
             FROM credentials cr JOIN clients c ON c.id = cr.client_id
             WHERE c.uid = ?1 AND cr.kind = ?2 ORDER BY cr.label",
        )?;
        let rows = stmt
            .query_map(params![client.uid, Kind::PushCertificate.id()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<Vec<u8>>>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        let row = match (label, rows.as_slice()) {
            (Some(l), all) => all.iter().find(|r| r.1.eq_ignore_ascii_case(l.trim())),
            (None, [only]) => Some(only),
            (None, []) => None,
            (None, several) => {
                return Err(Error::Ambiguous {
                    message: format!(
                        "{} has several APNs certificates ({}): say which one with its label",
                        client.name,
                        several
                            .iter()
                            .map(|r| format!("\"{}\"", r.1))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
        };
        let (uid, label, key_ref, topic, certificate) = row.ok_or_else(|| Error::NotFound {
            what: format!("an APNs push certificate of {}", client.name),
            hint: label.map_or(String::new(), |l| format!(" labelled \"{l}\"")),
        })?;
        let Some(key_ref) = key_ref else {
            return Err(Error::KeyRequired {
                what: format!("exporting \"{label}\" of {}", client.name),
                hint: "this certificate is tracked only: TokenKeeper holds no private key for it (the MDM that made its CSR keeps the key), so there is nothing to export; the MDM already has both".to_owned(),
            });
        };
        let certificate = certificate.as_deref().ok_or_else(|| Error::Tampered {
            message: format!(
                "the certificate of \"{label}\" is missing from the database: import it again"
            ),
        })?;
        let key_pem = self.secrets.get(key_ref)?.ok_or_else(|| Error::Tampered {
            message: format!(
                "the private key of \"{label}\" of {} is missing from the keychain: restore a backup, or make a new CSR and renew the certificate",
                client.name
            ),
        })?;
        let key = PrivateKey::from_bytes(&key_pem)?;
        let (bytes, what) = match format {
            CertExport::Pkcs12 {
                password,
                protection,
            } => (
                pkcs12::export(
                    certificate,
                    &key,
                    password.expose_secret(),
                    topic,
                    *protection,
                )?,
                "PKCS#12",
            ),
            CertExport::Pem => (pkcs12::pem_bundle(certificate, &key)?, "PEM bundle"),
        };
        let (client_name, uid, label) = (client.name.clone(), uid.clone(), label.clone());
        self.db.write(|tx| {
            events::append_for(
                tx,
                now,
                "key_exported",
                &client_name,
                &uid,
                &label,
                &format!("certificate and private key exported as a {what}"),
            )
        })?;
        Ok(bytes)
    }

    /// A pending push key of any client whose public key is the certificate's.
    pub(crate) fn pending_push_key(&self, cert_der: &[u8]) -> Result<Option<PendingKey>> {
        let Ok(fingerprint) = pki::certificate_fingerprint(cert_der) else {
            return Ok(None);
        };
        Ok(self
            .pending(
                "k.purpose = 'push_csr' AND k.public_key_sha256 = ?1",
                &fingerprint,
            )?
            .into_iter()
            .next())
    }

    /// Pending ADE keys that may open a token for `recipient`: those whose certificate it names,
    /// then the client's keys imported without a certificate.
    pub(crate) fn pending_ade_keys(
        &self,
        recipient: &Recipient,
        client: &str,
    ) -> Result<Vec<PendingKey>> {
        let mut keys: Vec<PendingKey> = self
            .pending(
                "k.purpose = 'ade' AND k.recipient_issuer = ?1",
                &recipient.issuer,
            )?
            .into_iter()
            .filter(|k| self.recipient_serial(&k.uid).as_deref() == Some(recipient.serial.as_str()))
            .collect();
        keys.extend(self.pending(
            "k.purpose = 'ade' AND k.certificate IS NULL AND c.name = ?1 COLLATE NOCASE",
            client,
        )?);
        Ok(keys)
    }

    /// The private key of a pending key.
    pub(crate) fn pending_private_key(&self, key: &PendingKey) -> Result<PrivateKey> {
        let pem = self.key_secret(&key.uid, "the pending private key")?;
        PrivateKey::from_bytes(&pem)
    }

    fn recipient_serial(&self, uid: &str) -> Option<String> {
        self.db
            .conn()
            .query_row(
                "SELECT recipient_serial FROM keys WHERE uid = ?1",
                [uid],
                |r| r.get(0),
            )
            .ok()
            .flatten()
    }

    fn pending(&self, filter: &str, value: &str) -> Result<Vec<PendingKey>> {
        let sql = format!(
            "SELECT k.uid, k.key_ref, c.name FROM keys k JOIN clients c ON c.id = k.client_id
             WHERE {filter} ORDER BY k.created_at DESC, k.id DESC"
        );
        let mut stmt = self.db.conn().prepare(&sql)?;
        let rows = stmt.query_map([value], |r| {
            Ok(PendingKey {
                uid: r.get(0)?,
                account: r.get(1)?,
                client: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The keychain secret of a key on record.
    fn key_secret(&self, uid: &str, what: &str) -> Result<Zeroizing<Vec<u8>>> {
        let account: String = self
            .db
            .conn()
            .query_row("SELECT key_ref FROM keys WHERE uid = ?1", [uid], |r| {
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
        let mut stmt = self.db.conn().prepare_cached(
            "SELECT k.uid, c.name, k.purpose, k.label, k.subject, k.public_key_sha256,
                    k.recipient_issuer, k.recipient_serial, k.expires_at, k.created_at
             FROM keys k LEFT JOIN clients c ON c.id = k.client_id
             WHERE (?1 IS NULL OR c.name = ?1 COLLATE NOCASE)
               AND (?2 IS NULL OR k.purpose = ?2)
             ORDER BY k.created_at DESC, k.id DESC",
        )?;
        let rows = stmt.query_map(params![client, purpose.map(KeyPurpose::id)], |r| {
            let issuer: Option<String> = r.get(6)?;
            let serial: Option<String> = r.get(7)?;
            Ok(KeyRecord {
                uid: r.get(0)?,
                client: r.get(1)?,
                purpose: KeyPurpose::parse(&r.get::<_, String>(2)?),
                label: r.get(3)?,
                subject: r.get(4)?,
                public_key_sha256: r.get(5)?,
                recipient: issuer
                    .zip(serial)
                    .map(|(issuer, serial)| Recipient { issuer, serial }),
                expires_at: r.get::<_, Option<String>>(8)?.as_deref().and_then(parse_ts),
                created_at: parse_ts(&r.get::<_, String>(9)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
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
        self.secrets.put(&account, &k.secret)?;
        let written = self.db.write(|tx| {
            let client_id: Option<i64> = match k.client {
                Some(name) => Some(
                    tx.query_row(
                        "SELECT id FROM clients WHERE name = ?1 COLLATE NOCASE",
                        [name],
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
                params![
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
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
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
                "key_added",
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
