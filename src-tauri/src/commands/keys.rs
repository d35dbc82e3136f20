//! Keys and what is made with them: the APNs CSR (its key stays in the keychain), the
//! vendor-signed push request, the certificate and key exported for the MDM, ADE key pairs made
//! here or imported, and the list of keys on record. The user picks every file with the dialog:
//! paths cross IPC, never key material. A typed password travels UI -> shell only, is zeroed
//! when dropped and appears in no answer, error or log.

use std::path::PathBuf;

use chrono::Utc;
use serde::Deserialize;
use tauri::State;
use tokenkeeper_core::vault::{
    CertExport, CertFormat, CsrSaved, KeyRecord, PushRequestSaved, chain_pem,
};
use tokenkeeper_core::{ErrorBody, read_credential_file};
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
    with_vault(&vault, |v| {
        let name = args.common_name.as_deref();
        v.save_push_csr(
            &args.client,
            name,
            &args.country,
            &args.email,
            &args.out,
            Utc::now(),
        )
    })
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
        v.save_push_request(&client, None, vendor.as_deref(), &out)
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
        let chain = chain
            .iter()
            .map(|p| Ok((p.display().to_string(), read_credential_file(p)?)))
            .collect::<tokenkeeper_core::Result<Vec<_>>>()?;
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
    with_vault(&vault, |v| {
        let password = password.as_ref().map(|p| p.0.as_str());
        let format = CertExport::for_format(args.format, password)?;
        let label = args.label.as_deref();
        v.save_cert_export(&args.client, label, &format, &args.out, Utc::now())
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
        v.save_ade_key(&client, common_name.as_deref(), &out, Utc::now())
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
    with_vault(&vault, |v| v.save_ade_certificate(&uid, &out))
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
