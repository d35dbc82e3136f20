//! The server going away and coming back (`TOKENKEEPER_TEST_POSTGRES_CTL stop|start`, from
//! `scripts/with-postgres.sh`): a test binary of its own, since stopping the server would break
//! the tests sharing it. Nothing lost or doubled, the listener and the vault reconnect alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use tokenkeeper_core::error::ErrorKind;
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{Confirmation, ImportRequest};
use tokenkeeper_core::{MemoryStore, Portal, Vault};
use tokenkeeper_store_postgres::testing::fresh_database;
use tokenkeeper_store_postgres::{listen, open};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap()
}

/// The server and its control, or `None` (with a notice) when the tests run without them.
fn server() -> Option<(String, String)> {
    match (
        std::env::var("TOKENKEEPER_TEST_POSTGRES"),
        std::env::var("TOKENKEEPER_TEST_POSTGRES_CTL"),
    ) {
        (Ok(url), Ok(ctl)) => Some((url, ctl)),
        _ => {
            assert!(
                std::env::var("TOKENKEEPER_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "run through scripts/with-postgres.sh"
            );
            eprintln!("skipped: no PostgreSQL test server to restart");
            None
        }
    }
}

fn ctl(ctl: &str, what: &str) {
    let status = Command::new(ctl).arg(what).status().unwrap();
    assert!(status.success(), "{ctl} {what}");
}

fn token(org: &str) -> Vec<u8> {
    ContentTokenSpec::new(org, now() + Duration::days(200)).build()
}

fn import(v: &mut Vault, client: &str) -> tokenkeeper_core::Result<u32> {
    v.import(
        &ImportRequest {
            client: client.to_owned(),
            bytes: token(&format!("{client} Inc")),
            ..ImportRequest::default()
        },
        Confirmation::default(),
        now(),
    )
    .map(|o| o.revision)
}

/// One test, in order: the server restarts are not safe to run side by side.
#[test]
fn a_server_that_goes_away_loses_nothing_and_everyone_reconnects() {
    let Some((admin, control)) = server() else {
        return;
    };
    let url = fresh_database(&admin, "restart").unwrap();
    let mut vault = Vault::new(open(&url).unwrap(), Box::new(MemoryStore::new()));
    let clients: Vec<String> = (0..24).map(|i| format!("Client {i:02}")).collect();
    for c in &clients {
        vault.add_client(c, Portal::Business, "", now()).unwrap();
    }

    // Another desktop listening.
    let (heard, changes) = mpsc::channel();
    let (link, links) = mpsc::channel();
    listen(
        &url,
        move || {
            let _ = heard.send(Instant::now());
        },
        move |up| {
            let _ = link.send(up);
        },
    )
    .unwrap();
    assert_eq!(links.recv_timeout(StdDuration::from_secs(30)), Ok(true));

    // A change here is heard there.
    let before = Instant::now();
    import(&mut vault, &clients[0]).unwrap();
    let at = changes.recv_timeout(StdDuration::from_secs(30)).unwrap();
    eprintln!(
        "figure: a commit heard by another connection {:?} after the import began",
        at - before
    );

    // Imports go on while the server restarts; each either lands or fails whole.
    let writer_url = url.clone();
    let names = clients.clone();
    let writer = std::thread::spawn(move || {
        let mut v = Vault::new(open(&writer_url).unwrap(), Box::new(MemoryStore::new()));
        let mut failed = Vec::new();
        for c in &names[1..] {
            if let Err(e) = import(&mut v, c) {
                // Cut off mid-statement, or refused while the server is down.
                assert!(
                    matches!(e.kind(), ErrorKind::Database | ErrorKind::ServerUnavailable),
                    "{e}"
                );
                failed.push(c.clone());
            }
            std::thread::sleep(StdDuration::from_millis(40));
        }
        (v, failed)
    });
    std::thread::sleep(StdDuration::from_millis(200));
    ctl(&control, "stop");
    assert_eq!(links.recv_timeout(StdDuration::from_secs(30)), Ok(false));
    let down = vault.summaries(now()).unwrap_err();
    assert_eq!(down.kind(), "server_unavailable", "{down}");
    std::thread::sleep(StdDuration::from_millis(300));
    ctl(&control, "start");
    let (mut other, failed) = writer.join().unwrap();
    assert!(
        !failed.is_empty(),
        "the restart came in the middle of the imports"
    );
    eprintln!(
        "{} of {} imports failed while the server was away",
        failed.len(),
        clients.len() - 1
    );

    // The listener is back and says a change may have been missed.
    while links.recv_timeout(StdDuration::from_secs(60)) != Ok(true) {}
    changes.recv_timeout(StdDuration::from_secs(30)).unwrap();

    // The same vaults work again without being reopened; the failed imports are tried again
    // (an import that committed before its answer was lost is the same file: no change).
    for c in &failed {
        assert_eq!(import(&mut other, c).unwrap(), 1, "{c}");
    }
    let listed = vault.summaries(now()).unwrap();
    assert_eq!(listed.len(), clients.len(), "one credential per client");
    for c in &clients {
        assert_eq!(
            listed.iter().filter(|s| &s.client == c).count(),
            1,
            "{c}: nothing lost, nothing doubled"
        );
        let detail = vault.client_credentials(c, now()).unwrap();
        assert!(detail.iter().all(|d| d.versions.len() == 1), "{c}");
    }
}
