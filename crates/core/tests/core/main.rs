//! Integration tests of the core: real-world samples, minted fixtures in every layout, errors,
//! the real OS keychain, and property tests that no input makes a parser panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod apple;
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

/// The secret store of integration tests: the real OS keychain (see `keychain.rs`).
pub fn keychain_store() -> Arc<dyn tokenkeeper_core::secrets::SecretStore> {
    Arc::new(keychain::real_keychain())
}
