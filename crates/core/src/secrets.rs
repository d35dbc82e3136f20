//! TEMPORARY: replaced by the `secrets` branch (OS keychain + memory store).

use std::collections::HashMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::error::Result;

/// Where secrets live.
pub trait SecretStore: Send + Sync {
    /// Stores `secret` under `account` (overwrites).
    fn put(&self, account: &str, secret: &[u8]) -> Result<()>;
    /// Reads the secret under `account`.
    fn get(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>>;
    /// Deletes the secret under `account`.
    fn delete(&self, account: &str) -> Result<()>;
}

/// In-memory store.
#[derive(Default)]
pub struct MemoryStore {
    map: Mutex<HashMap<String, Zeroizing<Vec<u8>>>>,
}

impl SecretStore for MemoryStore {
    fn put(&self, account: &str, secret: &[u8]) -> Result<()> {
        if let Ok(mut m) = self.map.lock() {
            m.insert(account.to_owned(), Zeroizing::new(secret.to_vec()));
        }
        Ok(())
    }
    fn get(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        Ok(self.map.lock().ok().and_then(|m| m.get(account).cloned()))
    }
    fn delete(&self, account: &str) -> Result<()> {
        if let Ok(mut m) = self.map.lock() {
            m.remove(account);
        }
        Ok(())
    }
}
