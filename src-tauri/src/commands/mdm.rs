//! MDM connections: list, add (the secret straight to the keychain), remove, test a form
//! without storing anything, and sync now. Reading a console waits on the network, so tests
//! and syncs run on a blocking thread (a sync with a vault of its own, [`VaultFile`]).

use chrono::{SubsecRound, Utc};
use tauri::State;
use tokenkeeper_core::ErrorBody;
use tokenkeeper_core::vault::{MdmConnection, MdmForm, MdmSyncReport};
use tokenkeeper_mdm::SyncOptions;
use zeroize::Zeroizing;

use super::with_vault;
use crate::{VaultFile, VaultState};

/// Every MDM connection with its last sync.
#[tauri::command]
#[specta::specta]
pub async fn mdm_connections(
    vault: State<'_, VaultState>,
) -> Result<Vec<MdmConnection>, ErrorBody> {
    with_vault(&vault, |v| v.mdm_connections())
}

/// Adds a connection; `secret` goes to the keychain and never comes back.
#[tauri::command]
#[specta::specta]
pub async fn add_mdm_connection(
    vault: State<'_, VaultState>,
    form: MdmForm,
    secret: String,
) -> Result<MdmConnection, ErrorBody> {
    let secret = Zeroizing::new(secret);
    with_vault(&vault, |v| {
        v.add_mdm_connection(&form, secret.as_bytes(), Utc::now())
    })
}

/// Removes a connection, what it held and its secret.
#[tauri::command]
#[specta::specta]
pub async fn remove_mdm_connection(
    vault: State<'_, VaultState>,
    name: String,
) -> Result<(), ErrorBody> {
    with_vault(&vault, |v| v.remove_mdm_connection(&name, Utc::now()))
}

/// Reads the console a form describes, storing nothing: the form's test button.
#[tauri::command]
#[specta::specta]
pub async fn test_mdm_connection(
    form: MdmForm,
    secret: String,
) -> Result<MdmSyncReport, ErrorBody> {
    let secret = secrecy::SecretString::from(secret);
    blocking("reading the MDM", move || {
        tokenkeeper_mdm::test(&form, secret, SyncOptions::default().timeout)
    })
    .await
}

/// Reads the connection named, or every connection, and records what each held.
#[tauri::command]
#[specta::specta]
pub async fn sync_mdm(
    file: State<'_, VaultFile>,
    vault: State<'_, VaultState>,
    name: Option<String>,
) -> Result<Vec<MdmSyncReport>, ErrorBody> {
    let file = file.inner().clone();
    let result = blocking("reading the MDM", move || {
        let mut v = file.open()?;
        tokenkeeper_mdm::sync(
            &mut v,
            name.as_deref(),
            Utc::now().trunc_subsecs(0),
            SyncOptions::default(),
        )
    })
    .await;
    // The scheduler and the window see what changed.
    with_vault(&vault, |_| Ok(()))?;
    result
}

/// Runs network work (`what`, for the message if the thread dies) on a blocking thread.
pub(super) async fn blocking<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> tokenkeeper_core::Result<T> + Send + 'static,
) -> Result<T, ErrorBody> {
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(result) => result.map_err(|e| e.body()),
        Err(e) => Err(ErrorBody {
            kind: tokenkeeper_core::error::ErrorKind::Internal,
            message: format!("{what} stopped unexpectedly: {e}"),
        }),
    }
}
