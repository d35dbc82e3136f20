//! The dashboard, served a window at a time from an index the shell keeps (see
//! `tokenkeeper_core::dashboard`): the window asks for the rows in view, and a keystroke of
//! search is one pass over the index instead of a new listing. The index is rebuilt when the
//! UI asks for fresh data (opening, focus, every ten minutes, after a change) and whenever the
//! database changed since it was built, whoever changed it. It is first built while the window
//! loads, straight from the database into the index's arena (no listing of owned rows first).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::Utc;
use tauri::{AppHandle, Manager, Runtime, State};
use tokenkeeper_core::dashboard::{ClientTally, DashboardIndex, DashboardPage, DashboardQuery};
use tokenkeeper_core::{CredentialSummary, Error, ErrorBody};

use super::with_vault;
use crate::state::VaultState;

/// An index built this recently counts as fresh: the one built while the window loads serves
/// the window's first request.
const FRESH_FOR: Duration = Duration::from_secs(2);

/// The index, the database's change stamp and the moment it was built.
#[derive(Debug, Default)]
pub struct DashboardCache(Mutex<Option<Built>>);

#[derive(Debug)]
struct Built {
    stamp: (i64, u64),
    at: Instant,
    index: Arc<DashboardIndex>,
}

impl DashboardCache {
    /// Drops the index: the commands' vault was replaced (see `background::swap`).
    pub(crate) fn forget(&self) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
    /// The index, rebuilt first when the data changed since, or when `fresh` is asked for and
    /// it is older than [`FRESH_FOR`].
    pub(crate) fn index(
        &self,
        vault: &VaultState,
        fresh: bool,
    ) -> Result<Arc<DashboardIndex>, ErrorBody> {
        let stamp = vault.lock().change_stamp().map_err(|e| e.body())?;
        let mut cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(built) = cached.as_ref()
            && built.stamp == stamp
            && !(fresh && built.at.elapsed() > FRESH_FOR)
        {
            return Ok(Arc::clone(&built.index));
        }
        // Free the old index before building the next one.
        *cached = None;
        let (index, stamp) = with_vault(vault, |v| {
            let index = v.dashboard_index(Utc::now())?;
            // After the index: it records the state changes it saw.
            let stamp = v.change_stamp()?;
            v.release_memory();
            Ok((index, stamp))
        })?;
        let index = Arc::new(index);
        *cached = Some(Built {
            stamp,
            at: Instant::now(),
            index: Arc::clone(&index),
        });
        // Neither the vault nor the cache is held while the heaps are trimmed.
        drop(cached);
        crate::trim_heaps();
        Ok(index)
    }
}

/// Builds the index on a thread of its own while the window loads, so that the window's first
/// request finds it ready.
pub fn warm<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("dashboard-warm".into())
        .spawn(move || {
            // A failure here is met again, and reported, by the window's own request.
            let _ = app
                .state::<DashboardCache>()
                .index(&app.state::<VaultState>(), true);
        });
    if let Err(e) = spawned {
        eprintln!("tokenkeeper: cannot start indexing the dashboard early: {e}");
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
    index.find(&uid).ok_or_else(|| {
        Error::NotFound {
            what: "credential".to_owned(),
            hint: ": it may have been removed".to_owned(),
        }
        .body()
    })
}
