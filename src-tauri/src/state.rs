//! What the commands share: the vault behind one lock, where its data lives (to open it again
//! off the lock), and the bell that wakes the background scheduler after a command has run (it
//! then looks whether the data really changed).

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokenkeeper_core::secrets::SecretStore;
use tokenkeeper_core::{Error, Vault};

/// Why the scheduler was woken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wake {
    /// Something may have changed: look at the data version, recompute if it moved.
    MaybeChanged,
    /// The team's server said someone committed a change (another desktop, maybe this one):
    /// recompute and refresh the window if the data moved.
    Notified,
    /// The user asked: check with Apple and recompute now ("Check now").
    CheckNow,
}

/// Wakes the scheduler thread; cheap to clone and to ring.
#[derive(Debug, Clone, Default)]
pub struct Bell(Arc<(Mutex<Option<Wake>>, Condvar)>);

impl Bell {
    /// Rings: the scheduler wakes (the strongest reason rung since it last slept wins).
    pub fn ring(&self, why: Wake) {
        let (lock, cvar) = &*self.0;
        let mut pending = lock.lock().unwrap_or_else(PoisonError::into_inner);
        *pending = Some(pending.map_or(why, |p| p.max(why)));
        cvar.notify_all();
    }

    /// Sleeps at most `timeout`; returns why it was woken, or `None` when the time ran out.
    pub fn wait(&self, timeout: Duration) -> Option<Wake> {
        let (lock, cvar) = &*self.0;
        let pending = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut pending, _) = cvar
            .wait_timeout_while(pending, timeout, |p| p.is_none())
            .unwrap_or_else(PoisonError::into_inner);
        pending.take()
    }
}

/// The vault every command uses, one writer at a time, and the scheduler's bell.
#[derive(Debug)]
pub struct VaultState {
    vault: Mutex<Vault>,
    bell: Bell,
}

impl VaultState {
    /// Wraps a vault with a fresh bell.
    pub fn new(vault: Vault) -> Self {
        Self::with_bell(vault, Bell::default())
    }

    /// Wraps a vault; commands ring `bell` after they ran.
    pub fn with_bell(vault: Vault, bell: Bell) -> Self {
        Self {
            vault: Mutex::new(vault),
            bell,
        }
    }

    /// The vault. A panic mid-command cannot leave it half-written (every change is one
    /// transaction), so a poisoned lock is taken over.
    pub fn lock(&self) -> MutexGuard<'_, Vault> {
        self.vault.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The scheduler's bell.
    pub fn bell(&self) -> &Bell {
        &self.bell
    }
}

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

    /// The database at `path` if it has one (an in-memory vault has none) with `secrets`.
    pub(crate) fn from_parts(path: Option<PathBuf>, secrets: Arc<dyn SecretStore>) -> Self {
        Self { path, secrets }
    }

    /// Opens a vault on the same data.
    ///
    /// # Errors
    /// [`Error::Database`] when the vault lives in memory only or its file cannot be opened.
    pub fn open(&self) -> tokenkeeper_core::Result<Vault> {
        let path = self.path.as_deref().ok_or_else(|| Error::Database {
            detail: "this vault lives in memory only and cannot be opened a second time".to_owned(),
        })?;
        tokenkeeper_store_postgres::open_location(path, Box::new(Arc::clone(&self.secrets)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn a_silent_bell_times_out() {
        let bell = Bell::default();
        assert_eq!(bell.wait(Duration::from_millis(20)), None);
    }

    #[test]
    fn a_ring_before_the_wait_is_not_lost_and_the_strongest_wins() {
        let bell = Bell::default();
        bell.ring(Wake::CheckNow);
        bell.ring(Wake::MaybeChanged);
        assert_eq!(bell.wait(Duration::from_secs(5)), Some(Wake::CheckNow));
        assert_eq!(bell.wait(Duration::from_millis(10)), None, "consumed");
    }

    #[test]
    fn a_ring_from_another_thread_wakes_the_sleeper() {
        let bell = Bell::default();
        let ringer = bell.clone();
        let start = Instant::now();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            ringer.ring(Wake::MaybeChanged);
        });
        assert_eq!(bell.wait(Duration::from_secs(60)), Some(Wake::MaybeChanged));
        assert!(start.elapsed() < Duration::from_secs(30));
        t.join().expect("ringer");
    }
}
