//! The dashboard, served a window at a time from an index the shell keeps (see
//! `tokenkeeper_core::dashboard`): the window asks for the rows in view, and a keystroke of
//! search is one pass over the index instead of a new listing. The index is rebuilt when the
//! UI asks for fresh data (opening, focus, every ten minutes, after a change) and whenever the
//! database changed since it was built, whoever changed it.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::Utc;
use tauri::State;
use tokenkeeper_core::dashboard::{ClientTally, DashboardIndex, DashboardPage, DashboardQuery};
use tokenkeeper_core::{CredentialSummary, Error, ErrorBody};

use super::with_vault;
use crate::state::VaultState;

/// The index and the database's change stamp when it was built.
#[derive(Debug, Default)]
pub struct DashboardCache(Mutex<Option<((i64, u64), Arc<DashboardIndex>)>>);

impl DashboardCache {
    /// The index, rebuilt first when `fresh` is asked for or the data changed since.
    fn index(&self, vault: &VaultState, fresh: bool) -> Result<Arc<DashboardIndex>, ErrorBody> {
        let stamp = vault.lock().change_stamp().map_err(|e| e.body())?;
        let mut cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((built, index)) = cached.as_ref() {
            if !fresh && *built == stamp {
                return Ok(Arc::clone(index));
            }
        }
        // Free the old index before building the next one.
        *cached = None;
        let (rows, stamp) = with_vault(vault, |v| {
            let rows = v.record_state_changes(Utc::now())?.0;
            // After the listing: it records the state changes it saw.
            Ok((rows, v.change_stamp()?))
        })?;
        let index = Arc::new(DashboardIndex::new(rows));
        *cached = Some((stamp, Arc::clone(&index)));
        Ok(index)
    }
}

/// The dashboard's rows for a tab and a search, from an offset, with every tab's count.
/// `fresh` lists the credentials again (their states move with the clock).
#[tauri::command]
#[specta::specta]
pub async fn dashboard(
    vault: State<'_, VaultState>,
    cache: State<'_, DashboardCache>,
    query: DashboardQuery,
    fresh: bool,
) -> Result<DashboardPage, ErrorBody> {
    Ok(cache.index(&vault, fresh)?.query(&query))
}

/// How each client's credentials stand: the list of clients.
#[tauri::command]
#[specta::specta]
pub async fn client_tallies(
    vault: State<'_, VaultState>,
    cache: State<'_, DashboardCache>,
) -> Result<Vec<ClientTally>, ErrorBody> {
    Ok(cache.index(&vault, false)?.tallies())
}

/// One credential by its uid (a notification or the tray names it); `not_found` when gone.
#[tauri::command]
#[specta::specta]
pub async fn find_credential(
    vault: State<'_, VaultState>,
    cache: State<'_, DashboardCache>,
    uid: String,
) -> Result<CredentialSummary, ErrorBody> {
    let index = cache.index(&vault, false)?;
    index.find(&uid).cloned().ok_or_else(|| {
        Error::NotFound {
            what: "credential".to_owned(),
            hint: ": it may have been removed".to_owned(),
        }
        .body()
    })
}
