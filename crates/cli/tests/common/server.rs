//! The team's PostgreSQL server of the tests (`scripts/with-postgres.sh`), and commands on it.

/// The test server, or `None` (with a notice) when there is none and none is required.
pub fn server() -> Option<String> {
    match std::env::var("TOKENKEEPER_TEST_POSTGRES") {
        Ok(url) if cfg!(target_os = "linux") => Some(url),
        _ => {
            assert!(
                std::env::var("TOKENKEEPER_REQUIRE_POSTGRES").is_err(),
                "no test server: run under scripts/with-postgres.sh (Linux)"
            );
            eprintln!("skipped: no PostgreSQL test server (scripts/with-postgres.sh)");
            None
        }
    }
}

/// `tokenkeeper --db URL ARGS…` on the team server, with this harness's keychain.
pub fn on(url: &str, args: &[&str]) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("tokenkeeper").unwrap();
    c.args(["--db", url]).args(args);
    c
}
