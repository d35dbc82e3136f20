//! A team vault's copy on this computer, as reports use it: read instead of the server only
//! while the server changed nothing since it was taken, and taken again after a change; never
//! a stale answer, never a secret.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, Utc};
use common::Env;
use common::server::{on, server};
use tokenkeeper_core::testing::{CONTENT_SECRET_MARKER, ContentTokenSpec};

fn clients_in(status: &[u8]) -> Vec<String> {
    let rows: serde_json::Value = serde_json::from_slice(status).unwrap();
    let mut names: Vec<String> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["client"].as_str().unwrap().to_owned())
        .collect();
    names.dedup();
    names
}

#[test]
fn reports_read_the_local_copy_only_while_the_server_changed_nothing() {
    let Some(admin) = server() else {
        return;
    };
    let url = tokenkeeper_store_postgres::testing::fresh_database(&admin, "cli_copy").unwrap();
    let me = Env::new();
    me.tk().args(["client", "add", "Acme"]).assert().success();
    let token = ContentTokenSpec::new("Main Street", Utc::now() + Duration::days(50)).build();
    let file = me.file("a.vpptoken", &token);
    me.tk()
        .args(["import", file.to_str().unwrap(), "--client", "Acme"])
        .assert()
        .success();
    let from = me.db();
    on(&url, &["team", "init", "--name", "Alice"])
        .args(["--from", from.to_str().unwrap()])
        .assert()
        .success();
    // This computer's app-data folder.
    let data = me.path("data");
    let tk = |args: &[&str]| {
        let mut c = on(&url, args);
        c.env("XDG_DATA_HOME", &data);
        c
    };
    let status = || tk(&["status", "--json"]).output().unwrap();

    // No copy kept here: reports read the server and take none.
    let first = status();
    assert_eq!(clients_in(&first.stdout), ["Acme"]);
    assert!(!data.exists(), "a report made a copy nobody asked for");

    // `team copy`: kept from now on, without the team's secrets.
    let out = tk(&["team", "copy", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let copied: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let copy = std::path::PathBuf::from(copied["copy"].as_str().unwrap());
    assert!(copy.starts_with(&data), "{copy:?}");
    let bytes = std::fs::read(&copy).unwrap();
    let marker = CONTENT_SECRET_MARKER.as_bytes();
    assert!(!bytes.windows(marker.len()).any(|w| w == marker));
    assert_eq!(
        status().stdout,
        first.stdout,
        "the same answer from the copy"
    );

    // The copy answers while the server changed nothing: marked here, the mark shows.
    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute("UPDATE clients SET name = 'Acme (copy)'", [])
        .unwrap();
    drop(conn);
    assert_eq!(clients_in(&status().stdout), ["Acme (copy)"]);

    // Another desktop changes the server: the next report reads the server, never the
    // copy, and takes the copy again (the mark is gone from it).
    on(&url, &["client", "add", "Globex"]).assert().success();
    let globex = me.file(
        "g.vpptoken",
        &ContentTokenSpec::new("Harbour", Utc::now() + Duration::days(20)).build(),
    );
    on(
        &url,
        &["import", globex.to_str().unwrap(), "--client", "Globex"],
    )
    .assert()
    .success();
    let after = status();
    assert_eq!(clients_in(&after.stdout), ["Globex", "Acme"]);
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let names: Vec<String> = conn
        .prepare("SELECT name FROM clients ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(names, ["Acme", "Globex"], "taken again after the change");
    drop(conn);
    assert_eq!(status().stdout, after.stdout, "from the new copy");

    // The CSV export reads it too.
    let csv = tk(&["export", "--format", "csv"]).output().unwrap();
    assert!(csv.status.success());
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.contains("Globex") && text.contains("Acme"), "{text}");
}
