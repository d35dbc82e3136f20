//! Checks with Apple: every token, a client's, or one credential, read-only, at the addresses
//! in the settings. A check waits on the network, so it runs on a blocking thread with a vault
//! of its own ([`VaultFile`]): the shared vault stays free for the rest of the UI meanwhile.
//! Also the latest results of every check, and the check settings (Apple's addresses, the
//! time limit, the opt-in schedule).

use chrono::{DateTime, SubsecRound, Utc};
use tauri::State;
use tokenkeeper_core::apple::AppleEndpoints;
use tokenkeeper_core::vault::{CheckResult, CheckSettings};
use tokenkeeper_core::{ErrorBody, Vault};

use super::with_vault;
use crate::{VaultFile, VaultState};

/// Checks every ADE server token and Apps and Books token with Apple.
#[tauri::command]
#[specta::specta]
pub async fn check_all(file: State<'_, VaultFile>) -> Result<Vec<CheckResult>, ErrorBody> {
    off_the_lock(&file, |v, now, at| v.check_all(now, at)).await
}

/// Checks one client's tokens with Apple.
#[tauri::command]
#[specta::specta]
pub async fn check_client(
    file: State<'_, VaultFile>,
    name: String,
) -> Result<Vec<CheckResult>, ErrorBody> {
    off_the_lock(&file, move |v, now, at| v.check_client(&name, now, at)).await
}

/// Checks one credential with Apple; `invalid_input` for an APNs certificate (no such check).
#[tauri::command]
#[specta::specta]
pub async fn check_credential(
    file: State<'_, VaultFile>,
    uid: String,
) -> Result<CheckResult, ErrorBody> {
    off_the_lock(&file, move |v, now, at| v.check(&uid, now, at)).await
}

/// The latest check of every credential checked at least once.
#[tauri::command]
#[specta::specta]
pub async fn last_checks(vault: State<'_, VaultState>) -> Result<Vec<CheckResult>, ErrorBody> {
    with_vault(&vault, |v| v.last_checks())
}

/// Apple's addresses, the time limit and the schedule.
#[tauri::command]
#[specta::specta]
pub async fn get_check_settings(vault: State<'_, VaultState>) -> Result<CheckSettings, ErrorBody> {
    with_vault(&vault, |v| v.check_settings())
}

/// Saves Apple's addresses (`https://`, or `http://` to this computer), the time limit and the
/// schedule, and returns them as stored.
#[tauri::command]
#[specta::specta]
pub async fn set_check_settings(
    vault: State<'_, VaultState>,
    settings: CheckSettings,
) -> Result<CheckSettings, ErrorBody> {
    with_vault(&vault, |v| v.set_check_settings(&settings, Utc::now()))
}

/// Runs `check` on a blocking thread with a vault of its own, at the addresses in the settings.
async fn off_the_lock<T, F>(file: &VaultFile, check: F) -> Result<T, ErrorBody>
where
    T: Send + 'static,
    F: FnOnce(&mut Vault, DateTime<Utc>, &AppleEndpoints) -> tokenkeeper_core::Result<T>
        + Send
        + 'static,
{
    let file = file.clone();
    let joined = tauri::async_runtime::spawn_blocking(move || {
        let mut vault = file.open()?;
        let endpoints = vault.apple_endpoints()?;
        // Whole seconds, as the checks are stored: the answer and `last_checks` agree.
        check(&mut vault, Utc::now().trunc_subsecs(0), &endpoints)
    })
    .await;
    match joined {
        Ok(result) => result.map_err(|e| e.body()),
        Err(e) => Err(ErrorBody {
            kind: tokenkeeper_core::error::ErrorKind::Internal,
            message: format!("the check stopped unexpectedly: {e}"),
        }),
    }
}
