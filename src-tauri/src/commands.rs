//! The commands the UI calls. Each takes the vault, calls one core function with the clock read
//! here, and sends a core error as `{kind, message}`. Files are named by path and read here:
//! their bytes, keys and token secrets never cross IPC in either direction. Keys and exports are
//! in `keys`, checks with Apple in `checks`.

pub mod channels;
pub mod checks;
pub mod dashboard;
pub mod keys;
pub mod mdm;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use tauri::State;
use tokenkeeper_core::vault::{
    Client, ClientAlerting, Confirmation, CredentialDetail, Event, EventFilter, ExpectedRenewal,
    FileMatch, ImportOutcome, ImportPlan, ImportRequest,
};
use tokenkeeper_core::{
    CredentialSummary, ErrorBody, Kind, Portal, Thresholds, Vault, read_credential_file,
};
use zeroize::Zeroizing;

use crate::state::{VaultState, Wake};

/// A file to import for a client, as the UI names it: by path (from the file picker or a drop).
/// The optional fields may be left out.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct ImportArgs {
    /// The client's name.
    pub client: String,
    /// The credential file.
    pub path: PathBuf,
    /// Which credential it renews, or the label of a new one.
    #[specta(optional)]
    pub label: Option<String>,
    /// The Apple Account used in the portal.
    #[specta(optional)]
    pub apple_account: Option<String>,
    /// The expiry typed by the user, for a server token that cannot be decrypted.
    #[specta(optional)]
    pub expires_at: Option<DateTime<Utc>>,
    /// A private key file: decrypts a server token, or belongs to a push certificate.
    #[specta(optional)]
    pub key_path: Option<PathBuf>,
}

impl ImportArgs {
    /// Reads the files (size-limited) into the core's request.
    fn read(self) -> tokenkeeper_core::Result<ImportRequest> {
        let key = self.key_path.as_deref().map(read_credential_file);
        Ok(ImportRequest {
            bytes: read_credential_file(&self.path)?,
            file_name: self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned()),
            key: key.transpose()?.map(Zeroizing::new),
            client: self.client,
            label: self.label,
            apple_account: self.apple_account,
            expires_at: self.expires_at,
        })
    }
}

/// Which audit-log entries to list, newest first.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct EventQuery {
    /// Only this client's (case-insensitive).
    #[specta(optional)]
    pub client: Option<String>,
    /// Only these kinds (`imported`, `renewed`, `refused`, ...); empty: all.
    pub kinds: Vec<String>,
    /// At most this many; 0: all.
    pub limit: u32,
}

impl From<EventQuery> for EventFilter {
    fn from(q: EventQuery) -> Self {
        EventFilter {
            client: q.client,
            kinds: q.kinds,
            limit: usize::try_from(q.limit).unwrap_or(usize::MAX),
            ..EventFilter::default()
        }
    }
}

/// Runs `f` on the vault and turns a core error into the `{kind, message}` the UI switches on.
/// Then rings the scheduler, which looks whether the data changed (new expiry, new settings).
pub(crate) fn with_vault<T>(
    state: &VaultState,
    f: impl FnOnce(&mut Vault) -> tokenkeeper_core::Result<T>,
) -> Result<T, ErrorBody> {
    let result = f(&mut state.lock()).map_err(|e| e.body());
    state.bell().ring(Wake::MaybeChanged);
    result
}

/// Every credential of every client, most urgent first; state changes since the last listing
/// are recorded in the audit log.
#[tauri::command]
#[specta::specta]
pub async fn list_credentials(
    vault: State<'_, VaultState>,
) -> Result<Vec<CredentialSummary>, ErrorBody> {
    with_vault(&vault, |v| Ok(v.record_state_changes(Utc::now())?.0))
}

/// Every client, by name.
#[tauri::command]
#[specta::specta]
pub async fn list_clients(vault: State<'_, VaultState>) -> Result<Vec<Client>, ErrorBody> {
    with_vault(&vault, |v| v.clients())
}

/// One client by name (case-insensitive), or nothing when there is none: a client's page, a
/// dropped file's client and the renewal wizard's portal ask for the one they show, so the
/// window never holds every client (25,000 at the scale we test) to find one.
#[tauri::command]
#[specta::specta]
pub async fn get_client(
    vault: State<'_, VaultState>,
    name: String,
) -> Result<Option<Client>, ErrorBody> {
    with_vault(&vault, |v| match v.client(&name) {
        Ok(client) => Ok(Some(client)),
        Err(tokenkeeper_core::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    })
}

/// Checks a client's alerting before anything is written, so a client is never saved without
/// the alerting the form asked for: a threshold of 30, 45, 60 or 90 days (or none: the vault's),
/// a contact that is an e-mail address (or blank: nobody).
fn check_alerting(alerting: &ClientAlerting) -> tokenkeeper_core::Result<()> {
    if let Some(days) = alerting
        .warn_days
        .filter(|d| !tokenkeeper_core::alerts::valid_warn_days(*d))
    {
        return Err(tokenkeeper_core::Error::InvalidInput {
            message: format!(
                "a client's warning threshold is {} days, not {days}",
                tokenkeeper_core::alerts::WARN_DAYS
                    .map(|d| d.to_string())
                    .join(", ")
            ),
        });
    }
    match alerting.contact_email.as_deref().map(str::trim) {
        None | Some("") => Ok(()),
        Some(a) => tokenkeeper_core::vault::check_email(a).map(drop),
    }
}

/// Adds a client (with its alerting, when given); `already_exists` for a name in use.
#[tauri::command]
#[specta::specta]
pub async fn add_client(
    vault: State<'_, VaultState>,
    name: String,
    portal: Portal,
    notes: String,
    alerting: Option<ClientAlerting>,
) -> Result<Client, ErrorBody> {
    with_vault(&vault, |v| {
        if let Some(a) = &alerting {
            check_alerting(a)?;
        }
        let now = Utc::now();
        let client = v.add_client(&name, portal, &notes, now)?;
        if let Some(a) = &alerting {
            v.set_client_alerting(&client.name, a, now)?;
        }
        Ok(client)
    })
}

/// Renames a client or changes its portal or notes, and its alerting when given (`null` leaves
/// it as it is).
#[tauri::command]
#[specta::specta]
pub async fn update_client(
    vault: State<'_, VaultState>,
    name: String,
    new_name: String,
    portal: Portal,
    notes: String,
    alerting: Option<ClientAlerting>,
) -> Result<Client, ErrorBody> {
    with_vault(&vault, |v| {
        if let Some(a) = &alerting {
            check_alerting(a)?;
        }
        let now = Utc::now();
        let client = v.update_client(&name, &new_name, portal, &notes, now)?;
        if let Some(a) = &alerting {
            v.set_client_alerting(&client.name, a, now)?;
        }
        Ok(client)
    })
}

/// A client's warning threshold (`null`: the vault's renewal window) and contact address.
#[tauri::command]
#[specta::specta]
pub async fn client_alerting(
    vault: State<'_, VaultState>,
    name: String,
) -> Result<ClientAlerting, ErrorBody> {
    with_vault(&vault, |v| v.client_alerting(&name))
}

/// Removes a client with its credentials and their secrets; the audit log keeps the history.
#[tauri::command]
#[specta::specta]
pub async fn remove_client(vault: State<'_, VaultState>, name: String) -> Result<(), ErrorBody> {
    with_vault(&vault, |v| v.remove_client(&name, Utc::now()))
}

/// A client's credentials, each with its versions and its events: the client page.
#[tauri::command]
#[specta::specta]
pub async fn client_credentials(
    vault: State<'_, VaultState>,
    name: String,
) -> Result<Vec<CredentialDetail>, ErrorBody> {
    with_vault(&vault, |v| v.client_credentials(&name, Utc::now()))
}

/// Which of a client's credentials a file of `kind` will renew, as far as it can be told before
/// the file is read (the one labelled `label`, or the only push certificate).
#[tauri::command]
#[specta::specta]
pub async fn expected_renewal(
    vault: State<'_, VaultState>,
    client: String,
    kind: Kind,
    label: Option<String>,
) -> Result<Option<ExpectedRenewal>, ErrorBody> {
    with_vault(&vault, |v| {
        v.expected_renewal(&client, kind, label.as_deref(), Utc::now())
    })
}

/// What a dropped file is and which clients hold a credential with its identity.
#[tauri::command]
#[specta::specta]
pub async fn identify_file(
    vault: State<'_, VaultState>,
    path: PathBuf,
) -> Result<FileMatch, ErrorBody> {
    with_vault(&vault, |v| v.identify(&read_credential_file(&path)?))
}

/// What importing the file would do (before and after, warnings), without writing anything.
#[tauri::command]
#[specta::specta]
pub async fn plan_import(
    vault: State<'_, VaultState>,
    args: ImportArgs,
) -> Result<ImportPlan, ErrorBody> {
    with_vault(&vault, |v| v.plan_import(&args.read()?, Utc::now()))
}

/// Imports the file: a new credential or a renewal, all or nothing.
#[tauri::command]
#[specta::specta]
pub async fn import_file(
    vault: State<'_, VaultState>,
    args: ImportArgs,
    confirmation: Confirmation,
) -> Result<ImportOutcome, ErrorBody> {
    with_vault(&vault, |v| {
        v.import(&args.read()?, confirmation, Utc::now())
    })
}

/// Removes a credential and its secrets; the audit log keeps its history.
#[tauri::command]
#[specta::specta]
pub async fn remove_credential(vault: State<'_, VaultState>, uid: String) -> Result<(), ErrorBody> {
    with_vault(&vault, |v| v.remove_credential(&uid, Utc::now()))
}

/// Changes a credential's label and the Apple Account on record.
#[tauri::command]
#[specta::specta]
pub async fn update_credential(
    vault: State<'_, VaultState>,
    uid: String,
    label: String,
    apple_account: Option<String>,
) -> Result<(), ErrorBody> {
    let account = apple_account.as_deref();
    with_vault(&vault, |v| {
        v.update_credential(&uid, &label, account, Utc::now())
    })
}

/// The audit log, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_events(
    vault: State<'_, VaultState>,
    query: EventQuery,
) -> Result<Vec<Event>, ErrorBody> {
    with_vault(&vault, |v| v.events(&query.into()))
}

/// Which database holds the vault and, for a team's shared server, who is in the team.
#[tauri::command]
#[specta::specta]
pub async fn get_team(
    vault: State<'_, VaultState>,
    connection: State<'_, crate::connection::ConnectionState>,
) -> Result<tokenkeeper_core::team::TeamView, ErrorBody> {
    let mut view = with_vault(&vault, |v| v.team_view())?;
    // While the server is away the vault is this computer's copy: the team is still the
    // server's.
    if let Some(database) = connection.get().database {
        view.database = database;
        view.shared = true;
    }
    Ok(view)
}

/// The renewal window and grace period.
#[tauri::command]
#[specta::specta]
pub async fn get_settings(vault: State<'_, VaultState>) -> Result<Thresholds, ErrorBody> {
    with_vault(&vault, |v| v.thresholds())
}

/// Saves the renewal window and grace period (365 days at most) and returns them.
#[tauri::command]
#[specta::specta]
pub async fn set_settings(
    vault: State<'_, VaultState>,
    thresholds: Thresholds,
) -> Result<Thresholds, ErrorBody> {
    with_vault(&vault, |v| {
        v.set_thresholds(thresholds, Utc::now())
            .and_then(|()| v.thresholds())
    })
}
