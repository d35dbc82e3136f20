//! Two technicians, one team database: each with a real keychain of their own (two private
//! D-Bus sessions with gnome-keyring), the team's PostgreSQL server started by
//! `scripts/with-postgres.sh`. Secrets travel only encrypted to the members.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use common::Env;
use common::server::{on, server};
use tokenkeeper_core::testing::{CONTENT_SECRET_MARKER, ContentTokenSpec};

fn wait_for(path: &Path, what: &str) {
    let deadline = Instant::now() + StdDuration::from_secs(120);
    while !path.exists() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(StdDuration::from_millis(50));
    }
}

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts")
}

#[test]
fn two_technicians_share_the_teams_secrets_and_a_removed_one_loses_them() {
    let Some(admin) = server() else {
        return;
    };
    let url = tokenkeeper_store_postgres::testing::fresh_database(&admin, "cli_team").unwrap();
    let alice = Env::new();
    // Alice's commands on the team database, with her keychain (the harness's).
    let team = |args: &[&str]| on(&url, args);

    // Alice's own vault, with a content token, moves into the team database.
    alice
        .tk()
        .args(["client", "add", "Acme"])
        .assert()
        .success();
    let token = ContentTokenSpec::new("Acme Inc", Utc::now() + Duration::days(50)).build();
    let file = alice.file("a.vpptoken", &token);
    alice
        .tk()
        .args(["import", file.to_str().unwrap(), "--client", "Acme"])
        .assert()
        .success();
    let from = alice.db();
    let out = team(&[
        "team",
        "init",
        "--name",
        "Alice",
        "--from",
        from.to_str().unwrap(),
        "--json",
    ])
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let init: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(init["copied"]["credentials"], 1);
    assert_eq!(init["copied"]["secrets"], 1);

    // Bob, on his own keychain (a second private session bus and keyring), joins and waits.
    let dir = alice.dir.path();
    let bob = r#"set -u
tk() { "$TK" --db "$URL" "$@"; }
tk team join --name Bob --json > "$DIR/bob-join.json.part" && mv "$DIR/bob-join.json.part" "$DIR/bob-join.json"
while [ ! -e "$DIR/added" ]; do sleep 0.05; done
tk verify --json > "$DIR/bob-verify.json"; echo $? > "$DIR/bob-verify.code"
tk status --json > "$DIR/bob-status.json"
touch "$DIR/verified"
while [ ! -e "$DIR/removed" ]; do sleep 0.05; done
tk verify --json > "$DIR/bob-after.json" 2> "$DIR/bob-after.err"; echo $? > "$DIR/bob-after.code"
tk client add "Bob's own" > /dev/null 2> "$DIR/bob-write.err"; echo $? > "$DIR/bob-write.code"
"#;
    let mut bob = Process::new(scripts().join("with-keychain.sh"))
        .args(["bash", "-c", bob])
        .env_remove("_TK_KEYCHAIN_INNER")
        .env("TK", assert_cmd::cargo::cargo_bin("tokenkeeper"))
        .env("URL", &url)
        .env("DIR", dir)
        .spawn()
        .unwrap();
    wait_for(&dir.join("bob-join.json"), "Bob's key");
    let join: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("bob-join.json")).unwrap()).unwrap();
    assert_eq!(join["member"], false);
    let key = join["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("age1"), "{key}");

    let out = team(&["team", "members", "add", "Bob", &key, "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let added: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(added["fingerprint"], join["fingerprint"]);
    std::fs::write(dir.join("added"), b"").unwrap();

    // Bob reads Alice's secret back (verify compares every secret with its recorded hash).
    wait_for(&dir.join("verified"), "Bob's verify");
    let verify = std::fs::read_to_string(dir.join("bob-verify.json")).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("bob-verify.code"))
            .unwrap()
            .trim(),
        "0",
        "{verify}"
    );
    let status = std::fs::read_to_string(dir.join("bob-status.json")).unwrap();
    assert!(status.contains("Acme"), "{status}");

    // Alice removes Bob: told what he could have copied; then a new secret is shared.
    let out = team(&["team", "members", "remove", "bob", "--yes", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let removal: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(removal["member"]["name"], "Bob");
    assert_eq!(removal["exposed"][0]["client"], "Acme");
    assert!(
        removal["exposed"][0]["rotate"]
            .as_str()
            .unwrap()
            .contains("download the token again")
    );
    let later = alice.file(
        "b.vpptoken",
        &ContentTokenSpec::new("Acme West", Utc::now() + Duration::days(80)).build(),
    );
    team(&[
        "import",
        later.to_str().unwrap(),
        "--client",
        "Acme",
        "--label",
        "West",
    ])
    .assert()
    .success();
    let events = team(&["events", "--json"]).output().unwrap();
    let events = String::from_utf8_lossy(&events.stdout).into_owned();
    assert!(
        events.contains(r#""actor": "Alice""#) || events.contains(r#""actor":"Alice""#),
        "{events}"
    );
    std::fs::write(dir.join("removed"), b"").unwrap();
    assert!(bob.wait().unwrap().success());
    assert_ne!(
        std::fs::read_to_string(dir.join("bob-after.code"))
            .unwrap()
            .trim(),
        "0"
    );
    // Removed, Bob reads no secret and changes nothing (the records stay readable to whoever
    // holds a login to the database: revoking it is the database administrator's part).
    let refused = std::fs::read_to_string(dir.join("bob-after.json")).unwrap()
        + &std::fs::read_to_string(dir.join("bob-after.err")).unwrap();
    assert!(refused.contains("team"), "{refused}");
    assert_ne!(
        std::fs::read_to_string(dir.join("bob-write.code"))
            .unwrap()
            .trim(),
        "0"
    );
    let refused = std::fs::read_to_string(dir.join("bob-write.err")).unwrap();
    assert!(refused.contains("ask a member to add you"), "{refused}");

    // Alice still reads everything; the server holds no secret.
    let (v, code) = {
        let out = team(&["verify", "--json"]).output().unwrap();
        (
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
            out.status.code().unwrap(),
        )
    };
    assert_eq!(code, 0, "{v}");
    let dump = pg_dump(&url);
    for needle in [
        CONTENT_SECRET_MARKER.as_bytes(),
        b"AGE-SECRET-KEY",
        b"PRIVATE KEY",
    ] {
        assert!(
            !dump.windows(needle.len()).any(|w| w == needle),
            "{} in the database dump",
            String::from_utf8_lossy(needle)
        );
    }
    assert!(dump.windows(4).any(|w| w == b"Acme"), "names are there");
}

fn pg_dump(url: &str) -> Vec<u8> {
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .and_then(|d| {
            d.flatten()
                .map(|v| v.path().join("bin/pg_dump"))
                .filter(|p| p.exists())
                .max()
        })
        .unwrap_or_else(|| PathBuf::from("pg_dump"));
    let out = Process::new(bin).arg("--dbname").arg(url).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// How many credentials the team's vault lists, and how many renewals its log records.
fn credentials_and_renewals(url: &str) -> (usize, usize) {
    let json = |args: &[&str]| -> serde_json::Value {
        serde_json::from_slice(&on(url, args).output().unwrap().stdout).unwrap()
    };
    let status = json(&["status", "--json"]);
    let rows = status
        .as_array()
        .or_else(|| status["credentials"].as_array())
        .map_or(0, Vec::len);
    let events = json(&["events", "--json"]);
    let renewals = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "renewed")
        .count();
    (rows, renewals)
}

#[test]
fn parallel_renewals_on_the_team_server_land_once_each_and_the_others_are_told() {
    let Some(admin) = server() else {
        return;
    };
    let url = tokenkeeper_store_postgres::testing::fresh_database(&admin, "cli_race").unwrap();
    let me = Env::new();
    let team = |args: &[&str]| on(&url, args);
    let from = me.db();
    me.tk().args(["client", "add", "Acme"]).assert().success();
    team(&[
        "team",
        "init",
        "--name",
        "Alice",
        "--from",
        from.to_str().unwrap(),
    ])
    .assert()
    .success();
    let first = me.file(
        "first.vpptoken",
        &ContentTokenSpec::new("Main Street School", Utc::now() + Duration::days(100)).build(),
    );
    team(&["import", first.to_str().unwrap(), "--client", "Acme"])
        .assert()
        .success();
    let mut days = 100;
    let mut conflicts = 0;
    for round in 0..3 {
        let files: Vec<PathBuf> = (0..4)
            .map(|i| {
                days += 10;
                me.file(
                    &format!("r{round}-{i}.vpptoken"),
                    &ContentTokenSpec::new("Main Street School", Utc::now() + Duration::days(days))
                        .build(),
                )
            })
            .collect();
        let (_, before) = credentials_and_renewals(&url);
        let children: Vec<std::process::Child> = files
            .iter()
            .map(|f| {
                Process::new(assert_cmd::cargo::cargo_bin("tokenkeeper"))
                    .args(["--db", &url, "import", f.to_str().unwrap()])
                    .args(["--client", "Acme", "--yes", "--json"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        let mut landed = 0;
        for child in children {
            let out = child.wait_with_output().unwrap();
            if out.status.success() {
                landed += 1;
                continue;
            }
            let v: serde_json::Value =
                serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
            let kind = v["error"]["kind"].as_str().unwrap_or_default();
            assert!(
                kind == "conflict" || kind == "older_file",
                "round {round}: {v} {}",
                String::from_utf8_lossy(&out.stderr)
            );
            if kind == "conflict" {
                conflicts += 1;
                let message = v["error"]["message"].as_str().unwrap_or_default();
                assert!(message.contains("by Alice"), "who renewed first: {message}");
                assert!(message.contains("revision"), "{message}");
            }
        }
        let (credentials, after) = credentials_and_renewals(&url);
        assert_eq!(credentials, 1, "one credential, never a second");
        assert!(landed >= 1, "round {round}: one renewal lands");
        assert_eq!(
            after,
            before + landed,
            "round {round}: each landing is one renewal"
        );
        let out = team(&["verify", "--json"]).output().unwrap();
        assert!(
            out.status.success(),
            "round {round}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    eprintln!("parallel renewals on PostgreSQL: {conflicts} conflict(s) told");
}
