//! The vault on PostgreSQL used from asynchronous code, as the desktop app's commands use it:
//! on a worker of a multi-threaded tokio runtime, where the `postgres` client's own
//! `block_on` would panic ("Cannot start a runtime from within a runtime").

use chrono::Utc;
use tokenkeeper_core::{MemoryStore, Portal, Vault};
use tokenkeeper_store_postgres::open;

use super::fresh;

#[test]
fn the_vault_answers_from_a_tokio_worker() {
    let Some(url) = fresh("runtime") else { return };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a runtime");
    let vault = runtime.block_on(async move {
        tokio::spawn(async move {
            // Opened, written and read on the worker, the way an IPC command does.
            let mut vault = Vault::new(open(&url).expect("opens"), Box::new(MemoryStore::new()));
            vault
                .add_client("Acme", Portal::Business, "", Utc::now())
                .expect("writes");
            assert_eq!(vault.clients().expect("reads").len(), 1);
            assert!(vault.summaries(Utc::now()).expect("lists").is_empty());
            vault.change_stamp().expect("the change stamp");
            vault
        })
        .await
        .expect("no panic on the worker")
    });
    // The same connection, outside the runtime now.
    assert_eq!(vault.clients().expect("reads").len(), 1);
}
