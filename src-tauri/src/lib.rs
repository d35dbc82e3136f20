//! TokenKeeper's desktop shell: opens the vault, registers the commands the UI calls over IPC,
//! and starts the window. Every decision lives in `tokenkeeper-core`; a command here takes the
//! state, calls one core function and turns its error into `{kind, message}`.
#![warn(missing_docs)]

pub mod bindings;
mod commands;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tauri::Runtime;
use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::{Keychain, SecretStore};
use tokenkeeper_core::{Error, Vault};

pub use commands::{EventQuery, ImportArgs};

/// The state every command shares: one vault, one writer at a time.
pub type VaultState = Mutex<Vault>;

/// Where the vault's data lives (its database file and secret store), to open it again: a long
/// command (a check with Apple, which waits on the network) works on a vault of its own, so the
/// shared one is never locked meanwhile. Managed beside [`VaultState`].
#[derive(Clone)]
pub struct VaultFile {
    path: Option<PathBuf>,
    secrets: Arc<dyn SecretStore>,
}

impl VaultFile {
    /// The database at `path` with `secrets`.
    pub fn new(path: PathBuf, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            path: Some(path),
            secrets,
        }
    }

    /// Opens a vault on the same data.
    ///
    /// # Errors
    /// [`Error::Database`] when the vault lives in memory only or its file cannot be opened.
    pub fn open(&self) -> tokenkeeper_core::Result<Vault> {
        let path = self.path.as_deref().ok_or_else(|| Error::Database {
            detail: "this vault lives in memory only and cannot be opened a second time".to_owned(),
        })?;
        Ok(Vault::new(
            Db::open(path)?,
            Box::new(Arc::clone(&self.secrets)),
        ))
    }
}

/// Where private keys and token secrets live. The one place that chooses.
pub fn secret_store() -> Box<dyn SecretStore> {
    Box::new(Keychain::new(Keychain::default_service()))
}

/// Opens the vault the command line shares: `TOKENKEEPER_DB`, else the OS app-data folder.
///
/// # Errors
/// [`Error::Io`] when there is no app-data folder or it cannot be created;
/// [`Error::Database`] when the file is not a TokenKeeper database.
pub fn open_vault() -> tokenkeeper_core::Result<Vault> {
    let path = Db::default_path().ok_or_else(|| Error::Io {
        path: "app-data folder".to_owned(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "this system has no app-data folder: set TOKENKEEPER_DB to the database file",
        ),
    })?;
    Ok(Vault::new(Db::open(&path)?, secret_store()))
}

/// The commands, one list for the IPC handler and for the TypeScript bindings.
pub fn specta_builder<R: Runtime>() -> tauri_specta::Builder<R> {
    tauri_specta::Builder::<R>::new()
        // A failed command rejects its promise with `{kind, message}`, as `invoke` does.
        .error_handling(tauri_specta::ErrorHandlingMode::Throw)
        .commands(tauri_specta::collect_commands![
            commands::list_credentials,
            commands::list_clients,
            commands::add_client,
            commands::update_client,
            commands::remove_client,
            commands::client_credentials,
            commands::identify_file,
            commands::plan_import,
            commands::import_file,
            commands::remove_credential,
            commands::update_credential,
            commands::list_events,
            commands::get_settings,
            commands::set_settings,
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
        ])
}

/// Gives a Tauri builder the vault and the commands: the real app and the tests' mock runtime
/// use the same wiring. A second vault (see [`VaultFile`]) opens the same database file with the
/// OS keychain.
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>, vault: Vault) -> tauri::Builder<R> {
    let file = VaultFile {
        path: vault.database_path(),
        secrets: Arc::from(secret_store()),
    };
    with_vault(builder, vault, file)
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
    Ok(with_vault(builder, file.open()?, file))
}

fn with_vault<R: Runtime>(
    builder: tauri::Builder<R>,
    vault: Vault,
    file: VaultFile,
) -> tauri::Builder<R> {
    builder
        .manage(VaultState::new(vault))
        .manage(file)
        .invoke_handler(specta_builder::<R>().invoke_handler())
}

/// Starts the desktop app.
///
/// # Errors
/// The vault cannot be opened, or Tauri fails to start (no display, no WebKit).
pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let vault = open_vault()?;
    with_commands(tauri::Builder::default(), vault)
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .run(tauri::generate_context!())?;
    Ok(())
}
