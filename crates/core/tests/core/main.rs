//! Integration tests of the core: real-world samples, minted fixtures in every layout, errors,
//! and property tests that no input makes a parser panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod detail;
mod external;
mod fixtures;
mod mixups;
mod never_panics;
mod vault;

use std::sync::Arc;

/// The secret store of integration tests: the real OS keychain (see `keychain.rs`).
pub fn keychain_store() -> Arc<dyn tokenkeeper_core::secrets::SecretStore> {
    Arc::new(tokenkeeper_core::secrets::MemoryStore::default())
}
