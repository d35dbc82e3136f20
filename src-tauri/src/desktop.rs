//! Commands for living on the desktop: reminder milestones and snooze, start at login, files
//! opened with the app.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;
use tauri::State;
use tauri_plugin_autostart::AutoLaunchManager;
use tokenkeeper_core::ErrorBody;
use tokenkeeper_core::reminders::Milestones;

use crate::commands::with_vault;
use crate::state::VaultState;
use crate::window::OpenedFiles;

/// The reminder settings page: when reminders fire and whether they are paused.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ReminderSettings {
    /// The milestones.
    pub milestones: Milestones,
    /// Reminders are paused until then.
    pub snoozed_until: Option<DateTime<Utc>>,
}

fn reminder_settings(v: &tokenkeeper_core::Vault) -> tokenkeeper_core::Result<ReminderSettings> {
    let now = Utc::now();
    Ok(ReminderSettings {
        milestones: v.milestones()?,
        snoozed_until: v.snoozed_until()?.filter(|until| *until > now),
    })
}

/// The reminder milestones and the snooze.
#[tauri::command]
#[specta::specta]
pub async fn get_reminders(vault: State<'_, VaultState>) -> Result<ReminderSettings, ErrorBody> {
    with_vault(&vault, |v| reminder_settings(v))
}

/// Saves the reminder milestones (days before expiry between 1 and 365).
#[tauri::command]
#[specta::specta]
pub async fn set_milestones(
    vault: State<'_, VaultState>,
    milestones: Milestones,
) -> Result<ReminderSettings, ErrorBody> {
    with_vault(&vault, |v| {
        v.set_milestones(&milestones, Utc::now())?;
        reminder_settings(v)
    })
}

/// Pauses every reminder for `hours` (24: "snooze all for a day"); 0 resumes them.
#[tauri::command]
#[specta::specta]
pub async fn snooze_reminders(
    vault: State<'_, VaultState>,
    hours: u32,
) -> Result<ReminderSettings, ErrorBody> {
    let now = Utc::now();
    with_vault(&vault, |v| {
        v.snooze_for(hours, now)?;
        reminder_settings(v)
    })
}

fn autostart_error(e: impl std::fmt::Display) -> ErrorBody {
    ErrorBody {
        kind: tokenkeeper_core::error::ErrorKind::Autostart,
        message: format!("could not change starting at login: {e}"),
    }
}

/// Whether TokenKeeper starts (in the tray) when the user logs in.
#[tauri::command]
#[specta::specta]
pub async fn get_autostart(launcher: State<'_, AutoLaunchManager>) -> Result<bool, ErrorBody> {
    launcher.is_enabled().map_err(autostart_error)
}

/// Turns starting at login on or off; returns the new setting.
#[tauri::command]
#[specta::specta]
pub async fn set_autostart(
    launcher: State<'_, AutoLaunchManager>,
    enabled: bool,
) -> Result<bool, ErrorBody> {
    let changed = if enabled {
        launcher.enable()
    } else {
        launcher.disable()
    };
    changed
        .and_then(|()| launcher.is_enabled())
        .map_err(autostart_error)
}

/// The files opened with the app (command line, file association, a second launch) that the
/// window has not taken yet; each goes through the same recognise-and-confirm flow as a drop.
#[tauri::command]
#[specta::specta]
pub async fn take_opened_files(files: State<'_, OpenedFiles>) -> Result<Vec<PathBuf>, ErrorBody> {
    Ok(files.take())
}
