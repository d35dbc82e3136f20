//! Checks with Apple: every token, a client's, or one credential, read-only, at the addresses
//! in the settings. A check waits on the network, so it runs on a blocking thread with a vault
//! of its own ([`VaultFile`]): the shared vault stays free for the rest of the UI meanwhile.
//! Also the latest results of every check, and the check settings (Apple's addresses, the
//! time limit, the opt-in schedule).

use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use tauri::State;
use tokenkeeper_core::apple::AppleEndpoints;
use tokenkeeper_core::vault::{CheckResult, CheckSchedule};
use tokenkeeper_core::{ErrorBody, Vault};

use super::with_vault;
use crate::{VaultFile, VaultState};

/// Where the checks go and whether they run on their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct CheckSettings {
    /// Base URL of the Device Assignment API (Apple's, a simulator, a test server).
    pub device_assignment_url: String,
    /// Base URL of the Apps and Books API v2.
    pub apps_and_books_url: String,
    /// Time limit of one call, in seconds (1 to 600).
    pub timeout_seconds: u32,
    /// Scheduled checks: off until the user opts in.
    pub schedule: CheckSchedule,
}

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
    with_vault(&vault, |v| read_settings(v))
}

/// Saves Apple's addresses (`https://`, or `http://` to this computer), the time limit and the
/// schedule, and returns them as stored.
#[tauri::command]
#[specta::specta]
pub async fn set_check_settings(
    vault: State<'_, VaultState>,
    settings: CheckSettings,
) -> Result<CheckSettings, ErrorBody> {
    with_vault(&vault, |v| save_settings(v, &settings, Utc::now()))
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

fn read_settings(v: &Vault) -> tokenkeeper_core::Result<CheckSettings> {
    let endpoints = v.apple_endpoints()?;
    Ok(CheckSettings {
        device_assignment_url: endpoints.device_assignment,
        apps_and_books_url: endpoints.apps_and_books,
        timeout_seconds: u32::try_from(endpoints.timeout.as_secs()).unwrap_or(u32::MAX),
        schedule: v.check_schedule()?,
    })
}

fn save_settings(
    v: &mut Vault,
    s: &CheckSettings,
    now: DateTime<Utc>,
) -> tokenkeeper_core::Result<CheckSettings> {
    let wanted = AppleEndpoints {
        device_assignment: s.device_assignment_url.clone(),
        apps_and_books: s.apps_and_books_url.clone(),
        timeout: Duration::from_secs(u64::from(s.timeout_seconds)),
    };
    if wanted != v.apple_endpoints()? {
        v.set_apple_endpoints(&wanted, now)?;
    }
    if s.schedule != v.check_schedule()? {
        v.set_check_schedule(s.schedule, now)?;
    }
    read_settings(v)
}
