//! APNs keys: the push CSR whose key waits in the keychain for Apple's certificate, MDM vendor
//! identities that sign CSRs for the portal, and the export of a push certificate with its key
//! for the MDM.

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Utc};

use super::{KeyPurpose, KeyRecord, NewKey, key_not_found};
use crate::error::{Error, Result};
use crate::pki::{self, csr, pkcs12, push_request::VendorIdentity};
use crate::token::{Kind, PrivateKey};
use crate::vault::EventKind;
use crate::vault::limits::{self, Field};
use crate::vault::{Vault, events};
use zeroize::Zeroizing;

/// What TokenKeeper says when a CSR cannot be signed here: who signs it, and the tracked-only way.
pub const SIGNING_EXPLANATION: &str = "Apple's portal accepts a push CSR only once an MDM vendor has signed it, and no MDM vendor certificate is on record in TokenKeeper. Send the CSR to your MDM vendor or a CSR signing service, upload the signed request they return at identity.apple.com, then import the certificate: TokenKeeper matches it to the key it kept. If your MDM makes its own CSR and keeps the key (Intune and most hosted MDMs do), use your MDM's CSR instead and import only the certificate: TokenKeeper then tracks it (expiry and topic) without holding a key. If you hold an MDM vendor certificate, add its .p12 to TokenKeeper to sign requests here.";

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

impl CertExport {
    /// A PKCS#12 protected by `password` (copied into memory that is zeroed when dropped), for
    /// shells that do not handle `secrecy` types themselves.
    pub fn pkcs12(password: &str, protection: pkcs12::Protection) -> Self {
        CertExport::Pkcs12 {
            password: secrecy::SecretString::from(password),
            protection,
        }
    }
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
            .sql()
            .query_row(
                "SELECT request FROM keys WHERE uid = ?1 AND purpose = 'push_csr'",
                args![key_uid],
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
    /// in the file), [`Error::AlreadyExists`] for a label in use, [`Error::KeychainUnavailable`],
    /// [`Error::InvalidInput`] for a label past [`crate::vault::MAX_NAME_CHARS`].
    pub fn add_vendor(
        &mut self,
        label: Option<&str>,
        p12: &[u8],
        password: &str,
        extra_chain: &[u8],
        now: DateTime<Utc>,
    ) -> Result<KeyRecord> {
        limits::check_opt(Field::KeyLabel, label.map(str::trim))?;
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
        let mut stmt = self.db.sql().prepare(
            "SELECT cr.uid, cr.label, cr.key_ref, cr.identity,
                    (SELECT v.certificate FROM versions v WHERE v.credential_id = cr.id
                     ORDER BY v.revision DESC LIMIT 1)
             FROM credentials cr JOIN clients c ON c.id = cr.client_id
             WHERE c.uid = ?1 AND cr.kind = ?2 ORDER BY cr.label",
        )?;
        let rows = stmt
            .query_map(args![client.uid, Kind::PushCertificate.id()], |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<String>(1)?,
                    r.get::<Option<String>>(2)?,
                    r.get::<String>(3)?,
                    r.get::<Option<Vec<u8>>>(4)?,
                ))
            })?
            .collect::<crate::db::SqlResult<Vec<_>>>()?;
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
                EventKind::KeyExported,
                &client_name,
                &uid,
                &label,
                &format!("certificate and private key exported as a {what}"),
            )
        })?;
        Ok(bytes)
    }
}
