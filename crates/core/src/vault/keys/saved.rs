//! "Make it and save it": the key workflows as the desktop app and the command line both run
//! them, written once. A key whose public file (the CSR, the ADE certificate) cannot be saved is
//! removed again, since nobody could use it; a blank common name means the default; a PKCS#12
//! needs a password; the chain files a vendor `.p12` lacks become PEM text.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{CertExport, KeyPurpose, KeyRecord, SIGNING_EXPLANATION};
use crate::error::{Error, Result};
use crate::file::{write_private, write_public};
use crate::pki::{self, csr::CsrSubject, pkcs12::Protection};
use crate::vault::Vault;

/// A push CSR saved: its key on record, and whether it can be signed here.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CsrSaved {
    /// The pending key (public facts only).
    pub key: KeyRecord,
    /// An MDM vendor identity is on record: the CSR can be signed here.
    pub vendor_available: bool,
    /// Without a vendor: who signs the CSR, and the tracked-only way.
    pub explanation: Option<String>,
}

/// A signed push request saved.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PushRequestSaved {
    /// The pending CSR key it is for.
    pub key_uid: String,
    /// The vendor identity that signed it.
    pub vendor: String,
    /// Whether the chain reaches Apple's root; when false the portal may refuse it.
    pub chain_complete: bool,
}

/// How a push certificate is exported with its key for the MDM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CertFormat {
    /// Password-protected PKCS#12 (AES).
    P12,
    /// PKCS#12 with 3DES and SHA-1, for MDMs that refuse the modern file.
    P12Legacy,
    /// Certificate and unencrypted key in one PEM file.
    Pem,
}

impl CertExport {
    /// The export for `format`; a PKCS#12 needs a password the MDM will ask for on import.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] for a PKCS#12 without a password.
    pub fn for_format(format: CertFormat, password: Option<&str>) -> Result<Self> {
        let protection = match format {
            CertFormat::Pem => return Ok(CertExport::Pem),
            CertFormat::P12 => Protection::Modern,
            CertFormat::P12Legacy => Protection::Legacy,
        };
        match password.filter(|p| !p.is_empty()) {
            Some(p) => Ok(CertExport::pkcs12(p, protection)),
            None => Err(Error::InvalidInput {
                message:
                    "a PKCS#12 export needs a password: type one (the MDM asks for it on import)"
                        .to_owned(),
            }),
        }
    }
}

/// A name the user may leave blank: blank means "use the default".
fn given(name: Option<&str>) -> Option<&str> {
    name.map(str::trim).filter(|n| !n.is_empty())
}

/// The certificates of chain files (PEM or DER), as PEM text.
///
/// # Errors
/// [`Error::InvalidInput`] naming a file that holds no certificate.
pub fn chain_pem(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let mut pem = String::new();
    for (name, bytes) in files {
        let certificates = pki::certificates_in(bytes);
        if certificates.is_empty() {
            return Err(Error::InvalidInput {
                message: format!(
                    "{name} holds no certificate: choose Apple's WWDR intermediate or root certificate (PEM or DER)"
                ),
            });
        }
        pem.extend(certificates.iter().map(|der| pki::certificate_pem(der)));
    }
    Ok(pem.into_bytes())
}

impl Vault {
    /// Whether an MDM vendor identity is on record to sign push CSRs here.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn vendor_available(&self) -> Result<bool> {
        Ok(self
            .keys(None)?
            .iter()
            .any(|k| k.purpose == KeyPurpose::Vendor))
    }

    /// Makes a push CSR for `client` (common name: the client's name when blank) and saves it
    /// at `out`; its key waits in the keychain for Apple's certificate, and is removed again
    /// when the CSR cannot be saved.
    ///
    /// # Errors
    /// As [`Vault::create_push_csr`]; [`Error::InvalidInput`] for a bad country or e-mail;
    /// [`Error::Io`] when `out` cannot be written (nothing kept).
    pub fn save_push_csr(
        &mut self,
        client: &str,
        common_name: Option<&str>,
        country: &str,
        email: &str,
        out: &Path,
        now: DateTime<Utc>,
    ) -> Result<CsrSaved> {
        let client = self.client(client)?;
        let subject = CsrSubject::new(given(common_name).unwrap_or(&client.name), country, email)?;
        let (key, request) = self.create_push_csr(&client.name, &subject, now)?;
        self.keep_only_if_saved(&key.uid, out, request.to_pem().as_bytes(), now)?;
        let vendor_available = self.vendor_available()?;
        Ok(CsrSaved {
            key,
            vendor_available,
            explanation: (!vendor_available).then(|| SIGNING_EXPLANATION.to_owned()),
        })
    }

    /// Signs `client`'s pending CSR (`key`, default the newest) with a vendor identity and saves
    /// the request to upload at identity.apple.com.
    ///
    /// # Errors
    /// As [`Vault::push_request`]; [`Error::Io`].
    pub fn save_push_request(
        &self,
        client: &str,
        key: Option<&str>,
        vendor: Option<&str>,
        out: &Path,
    ) -> Result<PushRequestSaved> {
        let r = self.push_request(client, key, vendor)?;
        write_public(out, r.encoded.as_bytes())?;
        Ok(PushRequestSaved {
            key_uid: r.key_uid,
            vendor: r.vendor,
            chain_complete: r.chain_complete,
        })
    }

    /// Makes an ADE key pair for `client` (common name: the default when blank) and saves its
    /// certificate (PEM) at `out`, to upload in Apple Business Manager; the key is removed
    /// again when the certificate cannot be saved.
    ///
    /// # Errors
    /// As [`Vault::create_ade_key`]; [`Error::Io`] (nothing kept).
    pub fn save_ade_key(
        &mut self,
        client: &str,
        common_name: Option<&str>,
        out: &Path,
        now: DateTime<Utc>,
    ) -> Result<KeyRecord> {
        let (record, der) = self.create_ade_key(client, given(common_name), now)?;
        self.keep_only_if_saved(&record.uid, out, pki::certificate_pem(&der).as_bytes(), now)?;
        Ok(record)
    }

    /// Saves again the certificate of a pending ADE key pair.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::Io`].
    pub fn save_ade_certificate(&self, uid: &str, out: &Path) -> Result<()> {
        write_public(
            out,
            pki::certificate_pem(&self.ade_certificate(uid)?).as_bytes(),
        )
    }

    /// Writes `client`'s push certificate with its key for the MDM (readable by the owner
    /// only).
    ///
    /// # Errors
    /// As [`Vault::cert_export`]; [`Error::Io`].
    pub fn save_cert_export(
        &mut self,
        client: &str,
        label: Option<&str>,
        format: &CertExport,
        out: &Path,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let bytes = self.cert_export(client, label, format, now)?;
        write_private(out, &bytes)
    }

    /// Writes a public file made with a new key; when it cannot be written, the key (useless
    /// without it) is removed again.
    fn keep_only_if_saved(
        &mut self,
        key_uid: &str,
        out: &Path,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> Result<()> {
        write_public(out, bytes).inspect_err(|_| {
            let _ = self.remove_key(key_uid, now);
        })
    }
}
