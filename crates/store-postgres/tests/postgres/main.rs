//! The PostgreSQL backend on a real server: `TOKENKEEPER_TEST_POSTGRES` names it (run through
//! `scripts/with-postgres.sh`); each test makes a database of its own. Without the variable the
//! tests say so and pass, unless `TOKENKEEPER_REQUIRE_POSTGRES=1` (CI), where they fail.

mod connection;
mod local_copy;
mod runtime;
mod statements;
mod transactions;
mod vault;

use std::io::Write;

use tokenkeeper_store_postgres::testing::fresh_database;
use tokenkeeper_store_postgres::{Postgres, open};

/// The test server's URL, or `None` (and a notice) when there is none and none is required.
pub fn server() -> Option<String> {
    match std::env::var("TOKENKEEPER_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("TOKENKEEPER_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "TOKENKEEPER_REQUIRE_POSTGRES=1 but TOKENKEEPER_TEST_POSTGRES is not set: run the tests through scripts/with-postgres.sh"
            );
            // Written to stderr itself, past the harness's capture, once per run.
            static NOTICE: std::sync::Once = std::sync::Once::new();
            NOTICE.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "skipped: TOKENKEEPER_TEST_POSTGRES is not set, the PostgreSQL backend's tests do not run (run them through scripts/with-postgres.sh)"
                );
            });
            None
        }
    }
}

/// A new database on the test server, or `None` when there is no server.
pub fn fresh(hint: &str) -> Option<String> {
    let admin = server()?;
    Some(fresh_database(&admin, hint).expect("the test server creates a database"))
}

/// A migrated database and a raw connection to it.
pub fn connection(hint: &str) -> Option<(String, Postgres)> {
    let url = fresh(hint)?;
    drop(open(&url).expect("opens and migrates"));
    let pg = Postgres::connect(&url).expect("connects");
    Some((url, pg))
}

/// The password in a URL, to check that no message shows it.
pub fn password_of(url: &str) -> String {
    let rest = url.split_once("://").expect("a URL").1;
    let userinfo = rest.split_once('@').expect("a user").0;
    userinfo.split_once(':').expect("a password").1.to_owned()
}
