//! What runs while the window is closed: the scheduler thread (reminders, scheduled Apple
//! checks), native notifications and the tray icon.

pub mod notifier;
pub mod scheduler;
pub mod tray;

use tauri::{AppHandle, Manager, Runtime};
use tokenkeeper_core::Vault;

use crate::state::VaultState;
use crate::window;

/// Starts the tray and the scheduler; `vault` is the scheduler's own connection.
pub fn start<R: Runtime>(app: &AppHandle<R>, vault: Vault) {
    #[cfg(target_os = "macos")]
    if let Err(e) = notify_rust::set_application(&app.config().identifier) {
        eprintln!("tokenkeeper: notifications will show as another app: {e}");
    }
    if let Err(e) = tray::create(app) {
        // Some Linux desktops have no tray: reminders still come as notifications.
        eprintln!("tokenkeeper: no tray icon on this desktop: {e}");
    }
    let clicked = app.clone();
    let notifier = notifier::Native::new(move |uid: String| {
        window::open_credential(&clicked, &uid);
    });
    let refreshed = app.clone();
    let scheduler = scheduler::Scheduler::new(vault, notifier, move |pass| {
        tray::update(&refreshed, &pass.overview);
        if pass.external_change || pass.checked > 0 || pass.delivered.is_some() {
            window::vault_changed(&refreshed);
        }
    });
    let bell = app.state::<VaultState>().bell().clone();
    let spawned = std::thread::Builder::new()
        .name("scheduler".to_owned())
        .spawn(move || scheduler.run(&bell));
    if let Err(e) = spawned {
        eprintln!("tokenkeeper: reminders are off, the scheduler did not start: {e}");
    }
}
