//! TokenKeeper's desktop shell: opens the vault, registers the commands the UI calls over IPC,
//! and starts the window. Every decision lives in `tokenkeeper-core`; a command here takes the
//! state, calls one core function and turns its error into `{kind, message}`.
#![warn(missing_docs)]

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub mod arenas;
pub mod background;
#[cfg(feature = "bindings")]
pub mod bindings;
mod commands;
pub mod connection;
mod desktop;
#[cfg(target_os = "linux")]
pub mod jit;
#[cfg(target_os = "linux")]
pub mod rendering;
#[cfg(target_os = "linux")]
pub mod single;
pub mod state;
#[cfg(target_os = "linux")]
mod theme;
pub mod window;

use std::sync::Arc;

use tauri::{Manager, Runtime};
use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::{Keychain, SecretStore};
use tokenkeeper_core::{Error, Vault};

pub use commands::{EventQuery, ImportArgs};
use connection::{Connection, ConnectionState};
pub use desktop::ReminderSettings;
pub use state::{VaultFile, VaultState};
use window::OpenedFiles;

/// The app's identifier (`tauri.conf.json`): names its single-instance socket.
#[cfg(target_os = "linux")]
const IDENTIFIER: &str = "app.tokenkeeper.desktop";

/// Where private keys and token secrets live. The one place that chooses.
pub fn secret_store() -> Box<dyn SecretStore> {
    Box::new(Keychain::new(Keychain::default_service()))
}

/// After a pass over every credential (the scheduler's; the dashboard's index does the same in
/// two steps, trimming once it holds no lock): the vault's connection frees SQLite's cached
/// pages, which the next pass does not start with, and glibc gives back the memory the pass
/// freed. The app then rests on what it holds (the index), not on what building it took.
pub(crate) fn settle(vault: &Vault) {
    vault.release_memory();
    trim_heaps();
}

/// glibc gives back the free memory inside its heaps (`arenas::trim`); nothing elsewhere.
pub(crate) fn trim_heaps() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    arenas::trim();
}

/// Opens the vault the command line shares: `TOKENKEEPER_DB`, else the OS app-data folder.
///
/// # Errors
/// [`Error::Io`] when there is no app-data folder or it cannot be created;
/// [`Error::Database`] when the file is from a newer TokenKeeper;
/// [`Error::DatabaseDamaged`] when it is damaged or not a database at all.
pub fn open_vault() -> tokenkeeper_core::Result<Vault> {
    let path = Db::default_path().ok_or_else(|| Error::Io {
        path: "app-data folder".to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "this system has no app-data folder: set TOKENKEEPER_DB to the database file",
        ),
    })?;
    tokenkeeper_store_postgres::open_location(&path, secret_store())
}

/// The commands, listed once and handed to `$list!`: Tauri's `generate_handler` for the IPC
/// handler, tauri-specta's `collect_commands` for the TypeScript bindings.
macro_rules! command_list {
    ($($list:ident)::+) => {
        $($list)::+![
            commands::list_credentials,
            commands::list_clients,
            commands::get_client,
            commands::add_client,
            commands::update_client,
            commands::client_alerting,
            commands::remove_client,
            commands::client_credentials,
            commands::expected_renewal,
            commands::dashboard::dashboard,
            commands::dashboard::client_tallies,
            commands::dashboard::find_credential,
            commands::identify_file,
            commands::plan_import,
            commands::import_file,
            commands::remove_credential,
            commands::update_credential,
            commands::list_events,
            commands::get_settings,
            commands::get_team,
            connection::team_connection,
            commands::set_settings,
            desktop::get_reminders,
            desktop::set_milestones,
            desktop::snooze_reminders,
            desktop::get_autostart,
            desktop::set_autostart,
            desktop::take_opened_files,
            commands::keys::list_keys,
            commands::keys::remove_key,
            commands::keys::create_push_csr,
            commands::keys::push_request,
            commands::keys::add_vendor,
            commands::keys::export_certificate,
            commands::keys::create_ade_key,
            commands::keys::save_ade_certificate,
            commands::keys::import_ade_key,
            commands::checks::check_all,
            commands::checks::check_client,
            commands::checks::check_credential,
            commands::checks::last_checks,
            commands::checks::get_check_settings,
            commands::checks::set_check_settings,
            commands::mdm::mdm_connections,
            commands::mdm::add_mdm_connection,
            commands::mdm::remove_mdm_connection,
            commands::mdm::test_mdm_connection,
            commands::mdm::sync_mdm,
            commands::channels::list_channels,
            commands::channels::add_channel,
            commands::channels::update_channel,
            commands::channels::remove_channel,
            commands::channels::test_channel,
        ]
    };
}

/// The commands' IPC handler.
fn invoke_handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
    command_list!(tauri::generate_handler)
}

/// The commands with their types, for the TypeScript bindings. Behind the `bindings` feature:
/// tauri-specta turns on Tauri's default features, whose `dbus` the app goes without (see the
/// workspace's Cargo.toml).
#[cfg(feature = "bindings")]
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        // A failed command rejects its promise with `{kind, message}`, as `invoke` does.
        .error_handling(tauri_specta::ErrorHandlingMode::Throw)
        .commands(command_list!(tauri_specta::collect_commands))
}

/// Gives a Tauri builder the vault and the commands: the real app and the tests' mock runtime
/// use the same wiring. A second vault (see [`VaultFile`]) opens the same database file with the
/// OS keychain.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>, vault: Vault) -> tauri::Builder<R> {
    let file = VaultFile::from_parts(vault.database_path(), Arc::from(secret_store()));
    let connection = Connection::of(&vault);
    manage_vault(builder, vault, file, connection)
}

/// As [`with_commands`], the vault opened from `file` (the tests share an in-memory secret
/// store between the two vaults this way).
///
/// # Errors
/// As [`VaultFile::open`].
pub fn with_vault_file<R: Runtime>(
    builder: tauri::Builder<R>,
    file: VaultFile,
) -> tokenkeeper_core::Result<tauri::Builder<R>> {
    let vault = file.open()?;
    let connection = Connection::of(&vault);
    Ok(manage_vault(builder, vault, file, connection))
}

/// The managed state every command reads: the vault, the files handed over, the dashboard's
/// index and the vault's file (for checks that open their own connection).
fn manage_vault<R: Runtime>(
    builder: tauri::Builder<R>,
    vault: Vault,
    file: VaultFile,
    connection: Connection,
) -> tauri::Builder<R> {
    builder
        .manage(VaultState::new(vault))
        .manage(ConnectionState::new(connection))
        .manage(OpenedFiles::default())
        .manage(commands::dashboard::DashboardCache::default())
        .manage(file)
        .invoke_handler(invoke_handler::<R>())
}

/// Starts the desktop app: one instance only (a second launch hands its files to the first and
/// focuses it), the tray and the reminder scheduler, the window hidden rather than closed.
///
/// # Errors
/// The vault cannot be opened, or Tauri fails to start (no display, no WebKit).
pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    #[cfg(target_os = "linux")]
    let listener = {
        let launch = single::Launch {
            args: std::env::args().collect(),
            cwd: std::env::current_dir().unwrap_or_default(),
        };
        match single::claim(&single::socket_path(IDENTIFIER), &launch)? {
            single::Instance::HandedOver => return Ok(()),
            single::Instance::First(listener) => listener,
        }
    };
    // A team's server that cannot be reached: the app starts on this computer's copy of the
    // team vault, read only, and the scheduler reconnects by itself.
    // `TOKENKEEPER_DB` (a file, or a team's server), else the file in the OS app-data folder.
    let location = Db::default_path().unwrap_or_default();
    let (vault, scheduler_vault, connection) = connection::open_at_start(&location, &open_vault)?;
    let builder = tauri::Builder::default();
    // First, so that a second instance stops before it opens anything.
    #[cfg(not(target_os = "linux"))]
    let builder = builder.plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
        window::show_main(app);
        window::open_files(
            app,
            window::files_in_args(&args, std::path::Path::new(&cwd)),
        );
    }));
    // Long commands open the vault again where it is: the server, never the copy shown.
    let file = VaultFile::from_parts(Some(location), Arc::from(secret_store()));
    let app = manage_vault(builder, vault, file, connection)
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![window::HIDDEN_ARG]),
        ))
        .on_window_event(window::keep_running_when_closed)
        .setup(move |app| {
            let args: Vec<String> = std::env::args().collect();
            if let Ok(cwd) = std::env::current_dir() {
                app.state::<OpenedFiles>()
                    .push(window::files_in_args(&args, &cwd));
            }
            // Before the window shows: it opens in the desktop's light or dark.
            #[cfg(target_os = "linux")]
            theme::follow_desktop(app.handle());
            if !args.iter().any(|a| a == window::HIDDEN_ARG) {
                commands::dashboard::warm(app.handle());
                window::show_main(app.handle());
            }
            background::start(app.handle(), scheduler_vault);
            #[cfg(target_os = "linux")]
            {
                let handle = app.handle().clone();
                single::serve(listener, move |launch| {
                    window::show_main(&handle);
                    window::open_files(&handle, window::files_in_args(&launch.args, &launch.cwd));
                })?;
            }
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|app, event| {
        // macOS hands files opened from Finder to the running app as URLs.
        #[cfg(any(target_os = "macos", target_os = "ios"))]
        if let tauri::RunEvent::Opened { urls } = &event {
            let files = urls.iter().filter_map(|u| u.to_file_path().ok()).collect();
            window::open_files(app, files);
        }
        let _ = (app, event);
    });
    Ok(())
}
