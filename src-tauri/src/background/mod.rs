//! What runs while the window is closed: the scheduler thread (reminders, scheduled Apple
//! checks), native notifications and the tray icon.

pub mod notifier;
pub mod scheduler;
pub mod tray;

use tauri::{AppHandle, Manager, Runtime};
use tokenkeeper_core::Vault;

use crate::connection::{Connection, ConnectionState};
use crate::state::VaultState;
use crate::window;

/// Gives the commands their new vault (the copy while the team's server is away, the server
/// once it is back) and the connection the window shows, then has the window reload.
fn swap<R: Runtime>(app: &AppHandle<R>, vault: Option<Vault>, connection: Connection) {
    if let Some(vault) = vault {
        *app.state::<VaultState>().lock() = vault;
        app.state::<crate::commands::dashboard::DashboardCache>()
            .forget();
    }
    app.state::<ConnectionState>().set(connection);
    window::vault_changed(app);
}

/// How long after start the tray and the first reminder pass wait for the window.
const STARTUP_GRACE: std::time::Duration = std::time::Duration::from_millis(1500);

/// Starts the tray and the scheduler; `vault` is the scheduler's own connection.
pub fn start<R: Runtime>(app: &AppHandle<R>, vault: Vault) {
    #[cfg(target_os = "macos")]
    if let Err(e) = notify_rust::set_application(&app.config().identifier) {
        eprintln!("tokenkeeper: notifications will show as another app: {e}");
    }
    let clicked = app.clone();
    let notifier = notifier::Native::new(move |uid: String| {
        window::open_credential(&clicked, &uid);
    });
    let refreshed = app.clone();
    let team_url = tokenkeeper_core::db::Db::default_path()
        .and_then(|p| p.to_str().map(str::to_owned))
        .filter(|l| tokenkeeper_store_postgres::is_server_url(l));
    let mut scheduler = scheduler::Scheduler::new(vault, notifier, move |pass| {
        tray::update(&refreshed, &pass.overview);
        if pass.external_change || pass.checked > 0 || pass.delivered.is_some() {
            window::vault_changed(&refreshed);
        }
    });
    let bell = app.state::<VaultState>().bell().clone();
    if let Some(url) = team_url {
        // Other desktops' changes arrive within a moment, without polling the server. The
        // listener losing the server is the moment to look (the pass finds it away and shows
        // the copy, instead of up to a minute later); getting through again, the moment to
        // try a server that went away.
        let ringer = bell.clone();
        let link_changed = bell.clone();
        let mut was_up = None;
        let listening = tokenkeeper_store_postgres::listen(
            &url,
            move || ringer.ring(crate::state::Wake::Notified),
            move |up| {
                if was_up != Some(up) {
                    was_up = Some(up);
                    link_changed.ring(crate::state::Wake::Notified);
                }
            },
        );
        if let Err(e) = listening {
            eprintln!("tokenkeeper: other desktops' changes will show within a minute: {e}");
        }
        let connection = app.state::<ConnectionState>().get();
        let database = tokenkeeper_store_postgres::shown_location(&url).unwrap_or_default();
        let swapped = app.clone();
        scheduler = scheduler.with_link(scheduler::Link::new(
            database,
            Box::new(crate::open_vault),
            Box::new(move |vault, connection| swap(&swapped, vault, connection)),
            Some(&connection),
        ));
    }
    let handle = app.clone();
    let spawned = std::thread::Builder::new()
        .name("scheduler".to_owned())
        .spawn(move || {
            // The window first: the tray and the first pass (a listing of every credential)
            // wait until it has had time to load, so they do not compete with it on start.
            std::thread::sleep(STARTUP_GRACE);
            let tray_app = handle.clone();
            let (done, created) = std::sync::mpsc::channel();
            let queued = handle.run_on_main_thread(move || {
                if let Err(e) = tray::create(&tray_app) {
                    // Some Linux desktops have no tray: reminders still come as notifications.
                    eprintln!("tokenkeeper: no tray icon on this desktop: {e}");
                }
                let _ = done.send(());
            });
            // The first pass updates the tray: it must exist by then.
            if queued.is_ok() {
                let _ = created.recv_timeout(std::time::Duration::from_secs(10));
            }
            scheduler.run(&bell);
        });
    if let Err(e) = spawned {
        eprintln!("tokenkeeper: reminders are off, the scheduler did not start: {e}");
    }
}
