//! Where secrets live: private keys, ADE OAuth values and content token files. This module owns the
//! [`SecretStore`] trait and its two real implementations: [`Keychain`], the OS keychain (macOS
//! Keychain, Windows Credential Manager, Secret Service on Linux), and [`MemoryStore`] for tests.
//! SQLite only ever holds the account name a secret is stored under, never the secret.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Environment variable that overrides [`Keychain::default_service`]; the tests set it so they
/// never read or write the entries of a real installation.
pub const SERVICE_ENV: &str = "TOKENKEEPER_KEYCHAIN_SERVICE";

/// Where secrets live: private keys, ADE OAuth values, content token files. Never SQLite.
///
/// Implementations are safe to share between threads. Errors name the store's condition, never
/// the secret.
pub trait SecretStore: Send + Sync {
    /// Stores `secret` under `account` (overwrites).
    fn put(&self, account: &str, secret: &[u8]) -> Result<()>;
    /// Reads the secret under `account`; Ok(None) when there is none.
    fn get(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>>;
    /// Deletes the secret under `account`; Ok(()) when it did not exist.
    fn delete(&self, account: &str) -> Result<()>;
}

/// The operating system's keychain, through the `keyring` crate: one generic entry per account
/// under one service name, holding raw bytes.
///
/// Every failure other than "no such entry" (locked keychain, access refused, no Secret Service on
/// the session bus, no backend for this OS) is [`Error::KeychainUnavailable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keychain {
    service: String,
}

impl Keychain {
    /// A keychain whose entries are filed under `service` (see [`Keychain::default_service`]).
    pub fn new(service: impl Into<String>) -> Self {
        Keychain {
            service: service.into(),
        }
    }

    /// The service name entries are filed under: the value of `TOKENKEEPER_KEYCHAIN_SERVICE` when
    /// set and not empty, else `"TokenKeeper (dev)"` in debug builds (so development never touches
    /// the installed app's secrets) and `"TokenKeeper"` in release builds.
    pub fn default_service() -> String {
        match std::env::var(SERVICE_ENV) {
            Ok(service) if !service.is_empty() => service,
            _ if cfg!(debug_assertions) => "TokenKeeper (dev)".to_owned(),
            _ => "TokenKeeper".to_owned(),
        }
    }

    /// The service name this keychain files its entries under.
    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry> {
        // Without a native store the crate falls back to a mock that forgets everything: refuse it
        // rather than pretend to have kept a private key.
        if !matches!(
            keyring::default::default_credential_builder().persistence(),
            keyring::credential::CredentialPersistence::UntilDelete
        ) {
            return Err(Error::KeychainUnavailable {
                detail:
                    "this build of TokenKeeper has no keychain support for this operating system"
                        .to_owned(),
            });
        }
        keyring::Entry::new(&self.service, account).map_err(unavailable)
    }
}

impl SecretStore for Keychain {
    fn put(&self, account: &str, secret: &[u8]) -> Result<()> {
        self.entry(account)?.set_secret(secret).map_err(unavailable)
    }

    fn get(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        match self.entry(account)?.get_secret() {
            Ok(secret) => Ok(Some(Zeroizing::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(unavailable(err)),
        }
    }

    fn delete(&self, account: &str) -> Result<()> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(unavailable(err)),
        }
    }
}

/// Maps a keyring failure to [`Error::KeychainUnavailable`]. Each arm builds its own text: the
/// variants that carry data (`BadEncoding` holds the stored bytes) must never reach a message.
fn unavailable(err: keyring::Error) -> Error {
    let detail = match &err {
        keyring::Error::NoStorageAccess(cause) => format!("no access to the keychain: {cause}"),
        keyring::Error::PlatformFailure(cause) => format!("keychain failure: {cause}"),
        keyring::Error::NoEntry => "no such keychain entry".to_owned(),
        keyring::Error::BadEncoding(_) => {
            "the keychain entry is not in the expected encoding".to_owned()
        }
        keyring::Error::TooLong(attribute, limit) => {
            format!("the {attribute} is longer than this keychain allows ({limit})")
        }
        keyring::Error::Invalid(attribute, reason) => format!("invalid {attribute}: {reason}"),
        keyring::Error::Ambiguous(entries) => {
            format!("{} keychain entries match this account", entries.len())
        }
        other => other.to_string(),
    };
    Error::KeychainUnavailable { detail }
}

/// A shared store is a store: two vaults opened on the same data (the desktop app's long checks
/// with Apple run on a vault of their own) see the same secrets.
impl<T: SecretStore + ?Sized> SecretStore for std::sync::Arc<T> {
    fn put(&self, account: &str, secret: &[u8]) -> Result<()> {
        (**self).put(account, secret)
    }

    fn get(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        (**self).get(account)
    }

    fn delete(&self, account: &str) -> Result<()> {
        (**self).delete(account)
    }
}

/// Secrets held in process memory, for tests and previews: the same contract as [`Keychain`],
/// nothing persisted. Values are zeroed when replaced, deleted or dropped.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Zeroizing<Vec<u8>>>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every operation leaves the map whole, so a panic elsewhere while it was held (a poisoned
    /// lock) cannot have corrupted it.
    fn entries(&self) -> MutexGuard<'_, HashMap<String, Zeroizing<Vec<u8>>>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl std::fmt::Debug for MemoryStore {
    /// Lists the accounts, never the values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries = self.entries();
        let mut accounts: Vec<&str> = entries.keys().map(String::as_str).collect();
        accounts.sort_unstable();
        f.debug_struct("MemoryStore")
            .field("accounts", &accounts)
            .finish_non_exhaustive()
    }
}

impl SecretStore for MemoryStore {
    fn put(&self, account: &str, secret: &[u8]) -> Result<()> {
        self.entries()
            .insert(account.to_owned(), Zeroizing::new(secret.to_vec()));
        Ok(())
    }

    fn get(&self, account: &str) -> Result<Option<Zeroizing<Vec<u8>>>> {
        Ok(self.entries().get(account).cloned())
    }

    fn delete(&self, account: &str) -> Result<()> {
        self.entries().remove(account);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn memory_store_round_trip() {
        let store = MemoryStore::new();
        assert!(store.get("key-1").unwrap().is_none());

        store.put("key-1", b"first").unwrap();
        assert_eq!(store.get("key-1").unwrap().unwrap().as_slice(), b"first");

        store.put("key-1", &[0x00, 0xff, 0xfe, 0x80]).unwrap();
        assert_eq!(
            store.get("key-1").unwrap().unwrap().as_slice(),
            &[0x00, 0xff, 0xfe, 0x80]
        );

        store.delete("key-1").unwrap();
        assert!(store.get("key-1").unwrap().is_none());
    }

    #[test]
    fn memory_store_delete_of_missing_account_is_ok() {
        let store = MemoryStore::new();
        store.delete("never-stored").unwrap();
        store.put("a", b"x").unwrap();
        store.delete("a").unwrap();
        store.delete("a").unwrap();
    }

    #[test]
    fn memory_store_accounts_are_separate() {
        let store = MemoryStore::default();
        store.put("a", b"alpha").unwrap();
        store.put("b", b"beta").unwrap();
        store.delete("a").unwrap();
        assert!(store.get("a").unwrap().is_none());
        assert_eq!(store.get("b").unwrap().unwrap().as_slice(), b"beta");
    }

    #[test]
    fn memory_store_empty_secret_is_kept() {
        let store = MemoryStore::new();
        store.put("empty", b"").unwrap();
        assert_eq!(store.get("empty").unwrap().unwrap().as_slice(), b"");
    }

    #[test]
    fn memory_store_debug_shows_accounts_not_values() {
        let store = MemoryStore::new();
        store
            .put("push-key-7", b"-----BEGIN PRIVATE KEY----- hunter2")
            .unwrap();
        let debug = format!("{store:?}");
        assert!(debug.contains("push-key-7"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(!debug.contains("PRIVATE KEY"), "{debug}");
    }

    #[test]
    fn memory_store_is_shared_between_threads() {
        let store = std::sync::Arc::new(MemoryStore::new());
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let store = std::sync::Arc::clone(&store);
                std::thread::spawn(move || {
                    store.put(&format!("account-{i}"), &[i; 8]).unwrap();
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        for i in 0..4u8 {
            assert_eq!(
                store
                    .get(&format!("account-{i}"))
                    .unwrap()
                    .unwrap()
                    .as_slice(),
                &[i; 8]
            );
        }
    }

    #[test]
    fn stores_are_shareable_trait_objects() {
        fn shareable<T: Send + Sync + ?Sized>() {}
        shareable::<dyn SecretStore>();
        let _stores: [Box<dyn SecretStore>; 2] = [
            Box::new(MemoryStore::new()),
            Box::new(Keychain::new("TokenKeeper-unit-test")),
        ];
    }

    #[test]
    fn keychain_keeps_its_service_name() {
        assert_eq!(Keychain::new("Example").service(), "Example");
    }

    #[test]
    fn default_service_is_the_override_or_the_build_name() {
        let service = Keychain::default_service();
        match std::env::var(SERVICE_ENV) {
            Ok(value) if !value.is_empty() => assert_eq!(service, value),
            _ if cfg!(debug_assertions) => assert_eq!(service, "TokenKeeper (dev)"),
            _ => assert_eq!(service, "TokenKeeper"),
        }
    }

    #[test]
    fn keyring_errors_become_keychain_unavailable_without_the_secret() {
        let err = unavailable(keyring::Error::BadEncoding(b"hunter2".to_vec()));
        assert_eq!(err.kind(), "keychain_unavailable");
        let message = err.to_string();
        assert!(!message.contains("hunter2"), "{message}");
        assert!(message.contains("unlock it"), "{message}");
        assert!(message.contains("nothing was saved"), "{message}");

        let err = unavailable(keyring::Error::NoStorageAccess(
            "collection is locked".into(),
        ));
        assert_eq!(err.kind(), "keychain_unavailable");
        assert!(err.to_string().contains("collection is locked"), "{err}");

        let err = unavailable(keyring::Error::PlatformFailure("no bus".into()));
        assert!(err.to_string().contains("no bus"), "{err}");
    }
}
