//! Keys and what is made with them: the APNs CSR (its key stays in the keychain), the
//! vendor-signed push request, the certificate and key exported for the MDM, ADE key pairs made
//! here or imported, and the list of keys on record. The user picks every file with the dialog:
//! paths cross IPC, never key material. A typed password travels UI -> shell only, is zeroed
//! when dropped and appears in no answer, error or log.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tauri::State;
use tokenkeeper_core::file::{write_private, write_public};
use tokenkeeper_core::pki::csr::CsrSubject;
use tokenkeeper_core::pki::{self, pkcs12::Protection};
use tokenkeeper_core::vault::{CertExport, KeyPurpose, KeyRecord, SIGNING_EXPLANATION};
use tokenkeeper_core::{ErrorBody, Vault, read_credential_file};
use zeroize::Zeroizing;

use super::with_vault;
use crate::VaultState;

/// A password the user typed (PKCS#12 export, encrypted key import). Deserialized from the UI,
/// never serialized back; zeroed when dropped; its `Debug` shows nothing.
#[derive(Deserialize)]
#[serde(from = "String")]
pub struct Password(Zeroizing<String>);

impl From<String> for Password {
    fn from(s: String) -> Self {
        Self(Zeroizing::new(s))
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(..)")
    }
}

impl specta::Type for Password {
    fn inline(
        types: &mut specta::TypeCollection,
        generics: specta::Generics,
    ) -> specta::datatype::DataType {
        <String as specta::Type>::inline(types, generics)
    }
}

/// What goes into a push CSR's subject, and where to save it.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct CsrArgs {
    /// The client the APNs certificate is for.
    pub client: String,
    /// The requester's e-mail address.
    pub email: String,
    /// Two-letter country code.
    pub country: String,
    /// Common name (default: the client's name).
    #[specta(optional)]
    pub common_name: Option<String>,
    /// Where to save the CSR (PEM), picked by the user.
    pub out: PathBuf,
}

/// A CSR saved: its key on record, and whether it can be signed here.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CsrSaved {
    /// The pending key (public facts only).
    pub key: KeyRecord,
    /// An MDM vendor identity is on record: `push_request` can sign the CSR.
    pub vendor_available: bool,
    /// Without a vendor: who signs the CSR, and the tracked-only way.
    pub explanation: Option<String>,
}

/// A signed push request saved.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PushRequestSaved {
    /// The pending CSR key it is for.
    pub key_uid: String,
    /// The vendor identity that signed it.
    pub vendor: String,
    /// Whether the chain reaches Apple's root; when false the portal may refuse it.
    pub chain_complete: bool,
}

/// PKCS#12 (password-protected) or PEM bundle (unencrypted key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CertFormat {
    /// Password-protected PKCS#12 (AES).
    P12,
    /// PKCS#12 with 3DES and SHA-1, for MDMs that refuse the modern file.
    P12Legacy,
    /// Certificate and unencrypted key in one PEM file.
    Pem,
}

/// Which push certificate to export, how, and where.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ExportArgs {
    /// The client.
    pub client: String,
    /// The certificate's label, when the client has several.
    #[specta(optional)]
    pub label: Option<String>,
    /// The file format.
    pub format: CertFormat,
    /// Where to write it (readable by the owner only), picked by the user.
    pub out: PathBuf,
}

/// Every key on record (pending CSR keys, ADE key pairs, vendor identities), newest first;
/// only the client's (and no vendor) when given. Public facts only.
#[tauri::command]
#[specta::specta]
pub async fn list_keys(
    vault: State<'_, VaultState>,
    client: Option<String>,
) -> Result<Vec<KeyRecord>, ErrorBody> {
    with_vault(&vault, |v| v.keys(client.as_deref()))
}

/// Forgets a pending key or vendor identity, in the keychain too.
#[tauri::command]
#[specta::specta]
pub async fn remove_key(vault: State<'_, VaultState>, uid: String) -> Result<(), ErrorBody> {
    with_vault(&vault, |v| v.remove_key(&uid, Utc::now()))
}

/// Makes a push CSR (its RSA-2048 key stays in the keychain) and saves it where the user chose.
#[tauri::command]
#[specta::specta]
pub async fn create_push_csr(
    vault: State<'_, VaultState>,
    args: CsrArgs,
) -> Result<CsrSaved, ErrorBody> {
    with_vault(&vault, |v| save_push_csr(v, &args, Utc::now()))
}

/// Signs the client's newest pending CSR with the MDM vendor identity on record and saves the
/// request to upload at identity.apple.com; `vendor_required` without a vendor identity.
#[tauri::command]
#[specta::specta]
pub async fn push_request(
    vault: State<'_, VaultState>,
    client: String,
    vendor: Option<String>,
    out: PathBuf,
) -> Result<PushRequestSaved, ErrorBody> {
    with_vault(&vault, |v| {
        let r = v.push_request(&client, None, vendor.as_deref())?;
        write_public(&out, r.encoded.as_bytes())?;
        Ok(PushRequestSaved {
            key_uid: r.key_uid,
            vendor: r.vendor,
            chain_complete: r.chain_complete,
        })
    })
}

/// Keeps an MDM vendor identity (a `.p12` opened with its password) in the keychain, to sign
/// push CSRs; `chain` adds Apple's intermediate and root when the `.p12` lacks them.
#[tauri::command]
#[specta::specta]
pub async fn add_vendor(
    vault: State<'_, VaultState>,
    path: PathBuf,
    label: Option<String>,
    password: Password,
    chain: Vec<PathBuf>,
) -> Result<KeyRecord, ErrorBody> {
    with_vault(&vault, |v| {
        let p12 = Zeroizing::new(read_credential_file(&path)?);
        let extra = chain_pem(&chain)?;
        v.add_vendor(label.as_deref(), &p12, &password.0, &extra, Utc::now())
    })
}

/// Writes the client's push certificate with its private key for the MDM: a PKCS#12 protected by
/// `password`, or a PEM bundle; `key_required` for a certificate tracked only.
#[tauri::command]
#[specta::specta]
pub async fn export_certificate(
    vault: State<'_, VaultState>,
    args: ExportArgs,
    password: Option<Password>,
) -> Result<(), ErrorBody> {
    let format = export_format(args.format, password)?;
    with_vault(&vault, |v| {
        let bytes = v.cert_export(&args.client, args.label.as_deref(), &format, Utc::now())?;
        write_private(&args.out, &bytes)
    })
}

/// Makes an ADE key pair (the key stays in the keychain) and saves its certificate, to upload
/// to the MDM server in Apple Business Manager, where the user chose.
#[tauri::command]
#[specta::specta]
pub async fn create_ade_key(
    vault: State<'_, VaultState>,
    client: String,
    common_name: Option<String>,
    out: PathBuf,
) -> Result<KeyRecord, ErrorBody> {
    with_vault(&vault, |v| {
        let (record, der) = v.create_ade_key(&client, common_name.as_deref(), Utc::now())?;
        keep_only_if_saved(v, &record.uid, &out, pki::certificate_pem(&der).as_bytes())?;
        Ok(record)
    })
}

/// Saves again the certificate of a pending ADE key pair.
#[tauri::command]
#[specta::specta]
pub async fn save_ade_certificate(
    vault: State<'_, VaultState>,
    uid: String,
    out: PathBuf,
) -> Result<(), ErrorBody> {
    with_vault(&vault, |v| {
        write_public(
            &out,
            pki::certificate_pem(&v.ade_certificate(&uid)?).as_bytes(),
        )
    })
}

/// Keeps an existing MDM's ADE key (PEM, encrypted PEM with `password`, DER, `.p12`) with its
/// certificate, so that the tokens encrypted to it can be read.
#[tauri::command]
#[specta::specta]
pub async fn import_ade_key(
    vault: State<'_, VaultState>,
    client: String,
    key_path: PathBuf,
    password: Option<Password>,
    cert_path: Option<PathBuf>,
) -> Result<KeyRecord, ErrorBody> {
    with_vault(&vault, |v| {
        let key = Zeroizing::new(read_credential_file(&key_path)?);
        let cert = cert_path.as_deref().map(read_credential_file).transpose()?;
        let password = password.as_ref().map(|p| p.0.as_str());
        let now = Utc::now();
        v.import_ade_key(&client, &key, password, &cert.unwrap_or_default(), now)
    })
}

/// Makes the CSR and writes it; a CSR that cannot be saved takes its key away again.
fn save_push_csr(
    v: &mut Vault,
    a: &CsrArgs,
    now: DateTime<Utc>,
) -> tokenkeeper_core::Result<CsrSaved> {
    let client = v.client(&a.client)?;
    let name = a.common_name.as_deref().filter(|n| !n.trim().is_empty());
    let subject = CsrSubject::new(name.unwrap_or(&client.name), &a.country, &a.email)?;
    let (key, request) = v.create_push_csr(&client.name, &subject, now)?;
    keep_only_if_saved(v, &key.uid, &a.out, request.to_pem().as_bytes())?;
    let vendor_available = v
        .keys(None)?
        .iter()
        .any(|k| k.purpose == KeyPurpose::Vendor);
    Ok(CsrSaved {
        key,
        vendor_available,
        explanation: (!vendor_available).then(|| SIGNING_EXPLANATION.to_owned()),
    })
}

/// Writes a public file made with a new key; when it cannot be written, the key (useless
/// without it) is removed again.
fn keep_only_if_saved(
    v: &mut Vault,
    key_uid: &str,
    out: &Path,
    bytes: &[u8],
) -> tokenkeeper_core::Result<()> {
    write_public(out, bytes).inspect_err(|_| {
        let _ = v.remove_key(key_uid, Utc::now());
    })
}

/// The core's export format; a PKCS#12 needs a password of at least one character.
fn export_format(format: CertFormat, password: Option<Password>) -> Result<CertExport, ErrorBody> {
    let protection = match format {
        CertFormat::Pem => return Ok(CertExport::Pem),
        CertFormat::P12 => Protection::Modern,
        CertFormat::P12Legacy => Protection::Legacy,
    };
    match password.filter(|p| !p.0.is_empty()) {
        Some(p) => Ok(CertExport::pkcs12(&p.0, protection)),
        None => Err(tokenkeeper_core::Error::InvalidInput {
            message: "a PKCS#12 export needs a password: type one (the MDM asks for it on import)"
                .to_owned(),
        }
        .body()),
    }
}

/// The certificates of the chain files, as PEM text (DER converted).
fn chain_pem(paths: &[PathBuf]) -> tokenkeeper_core::Result<Vec<u8>> {
    let mut pem = String::new();
    for path in paths {
        let certificates = pki::certificates_in(&read_credential_file(path)?);
        if certificates.is_empty() {
            return Err(tokenkeeper_core::Error::InvalidInput {
                message: format!("{} holds no certificate", path.display()),
            });
        }
        pem.extend(certificates.iter().map(|der| pki::certificate_pem(der)));
    }
    Ok(pem.into_bytes())
}
