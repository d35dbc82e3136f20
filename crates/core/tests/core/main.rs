//! Integration tests of the core: real-world samples, minted fixtures in every layout, errors,
//! the real OS keychain, and property tests that no input makes a parser panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod apple;
mod backend;
mod channels;
mod detail;
mod external;
mod fixtures;
mod hostile;
mod keychain;
mod keys;
mod mixups;
mod never_panics;
mod races;
mod saved;
mod vault;

use std::sync::Arc;

pub use backend::{on_postgres, open_db};

/// The secret store of integration tests: the real OS keychain (see `keychain.rs`).
pub fn keychain_store() -> Arc<dyn tokenkeeper_core::secrets::SecretStore> {
    Arc::new(keychain::real_keychain())
}

/// Forwards to a shared store, so a test can read what the vault wrote and open a second vault
/// on the same secrets.
pub struct Shared(pub Arc<dyn tokenkeeper_core::secrets::SecretStore>);

impl tokenkeeper_core::secrets::SecretStore for Shared {
    fn put(&self, a: &str, s: &[u8]) -> tokenkeeper_core::Result<()> {
        self.0.put(a, s)
    }
    fn get(&self, a: &str) -> tokenkeeper_core::Result<Option<zeroize::Zeroizing<Vec<u8>>>> {
        self.0.get(a)
    }
    fn delete(&self, a: &str) -> tokenkeeper_core::Result<()> {
        self.0.delete(a)
    }
}
