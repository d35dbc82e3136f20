//! Nothing lost under races, crashes and hostile files, through the built binary: readers do
//! not wait for another process's write, `verify` finds damage no command reads, a damaged file
//! says so, one credential in several encodings is one revision, one Apps and Books location
//! belongs to one client, and `import --json` names each key once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use chrono::{Duration, Utc};
use predicates::prelude::*;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use tokenkeeper_core::testing::{
    ContentTokenSpec, KeyPair, PushCertificateSpec, TestCa, der, pem, random_topic,
};

mod common;
use common::Env;

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A client "Acme" with one APNs certificate, imported through the binary.
fn acme_with_certificate(env: &Env) {
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let cert = pem(&PushCertificateSpec::new(&random_topic())
        .expiring(Utc::now() + Duration::days(200))
        .issue(&TestCa::new(), KeyPair::shared(0)));
    let file = env.file("acme.pem", &cert);
    env.tk()
        .args(["import", p(&file), "--client", "Acme"])
        .assert()
        .success();
}

/// Another process's open write transaction on the database, with an uncommitted change.
fn hold_write_lock(db: &Path) -> rusqlite::Connection {
    let writer = rusqlite::Connection::open(db).unwrap();
    writer
        .execute_batch(
            "BEGIN IMMEDIATE;
             INSERT INTO clients (uid, name, portal, created_at)
             VALUES ('uncommitted', 'Uncommitted', 'business', '2026-01-01T00:00:00Z');",
        )
        .unwrap();
    writer
}

#[test]
fn readers_answer_while_another_process_holds_the_write_lock() {
    let env = Env::new();
    acme_with_certificate(&env);
    // A state change is due (the record says expired), so status has bookkeeping to do.
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute("UPDATE credentials SET last_state = 'expired'", [])
        .unwrap();
    let writer = hold_write_lock(&env.db());

    let (status, code) = env.json(&["status", "--json"]);
    assert_eq!(code, 0, "{status}");
    assert_eq!(status.as_array().unwrap().len(), 1);
    assert_eq!(status[0]["client"], "Acme");
    assert_eq!(status[0]["state"], "active");
    let (clients, code) = env.json(&["client", "list", "--json"]);
    assert_eq!(code, 0, "{clients}");
    let names: Vec<&str> = clients
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Acme"], "committed data only");
    let (events, code) = env.json(&["events", "--json"]);
    assert_eq!(code, 0, "{events}");
    let (keys, code) = env.json(&["keys", "--json"]);
    assert_eq!((keys, code), (serde_json::json!([]), 0));
    env.tk()
        .args(["export", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Acme"));

    writer.execute_batch("ROLLBACK").unwrap();
    // The state change skipped under the lock is recorded by the next run, once.
    env.tk().args(["status"]).assert().success();
    env.tk().args(["status"]).assert().success();
    let (changes, _) = env.json(&["events", "--kind", "state_changed", "--json"]);
    assert_eq!(changes.as_array().unwrap().len(), 1, "{changes}");
}

/// Fills one page of the (closed) database file with garbage.
fn damage_page_of(db: &Path, object: &str) {
    let (page, size): (i64, i64) = {
        let conn = rusqlite::Connection::open(db).unwrap();
        let page = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = ?1",
                [object],
                |r| r.get(0),
            )
            .unwrap();
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap();
        (page, size)
    };
    let mut bytes = std::fs::read(db).unwrap();
    let start = usize::try_from((page - 1) * size).unwrap();
    let end = start + usize::try_from(size).unwrap();
    bytes[start..end].fill(0xa5);
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn verify_finds_a_damaged_index_that_no_command_reads() {
    let env = Env::new();
    acme_with_certificate(&env);
    env.tk().arg("verify").assert().success();
    damage_page_of(&env.db(), "keys_by_recipient");
    // Everyday commands do not read that index: the damage goes unnoticed there.
    env.tk().args(["status"]).assert().success();
    env.tk()
        .arg("verify")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("database file is damaged"))
        .stderr(predicate::str::contains("tokenkeeper restore"));
    let (report, code) = env.json(&["verify", "--json"]);
    assert_eq!(code, 2);
    assert_eq!(report["ok"], false);
    assert_eq!(
        report["problems"][0]["kind"], "database_damaged",
        "{report}"
    );
}

#[test]
fn a_damaged_table_says_so_and_a_backup_restores_it() {
    let env = Env::new();
    acme_with_certificate(&env);
    let backup = env.path("tk.backup");
    env.tk()
        .env("TK_PASS", "a long backup passphrase")
        .args(["backup", "--out", p(&backup), "--passphrase-env", "TK_PASS"])
        .assert()
        .success();
    damage_page_of(&env.db(), "credentials");
    env.tk()
        .arg("status")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("the database file is damaged"))
        .stderr(predicate::str::contains("tokenkeeper verify"));
    let (v, code) = env.json(&["status", "--json"]);
    assert_eq!(code, 3);
    assert_eq!(v["error"]["kind"], "database_damaged", "{v}");
    env.tk().arg("verify").assert().code(2);

    env.tk()
        .env("TK_PASS", "a long backup passphrase")
        .args([
            "restore",
            p(&backup),
            "--force",
            "--passphrase-env",
            "TK_PASS",
        ])
        .assert()
        .success();
    env.tk().arg("verify").assert().success();
    let (status, code) = env.json(&["status", "--json"]);
    assert_eq!(code, 0, "{status}");
    assert_eq!(status[0]["client"], "Acme");
}

#[test]
fn one_certificate_as_pem_der_and_bundle_is_one_revision() {
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let ca = TestCa::new();
    let key = KeyPair::shared(0);
    let cert = PushCertificateSpec::new(&random_topic())
        .expiring(Utc::now() + Duration::days(200))
        .issue(&ca, key);
    let mut bundle = pem(&cert);
    bundle.extend(key.pkcs8_pem());
    bundle.extend(pem(&ca.cert));
    let files = [
        env.file("push.pem", &pem(&cert)),
        env.file("push.cer", &der(&cert)),
        env.file("bundle.pem", &bundle),
    ];
    env.tk()
        .args(["import", p(&files[0]), "--client", "Acme"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Added"));
    for again in &files[1..] {
        env.tk()
            .args(["import", p(again), "--client", "Acme"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Already on record"));
    }
    let (renewed, _) = env.json(&["events", "--kind", "renewed", "--json"]);
    assert_eq!(renewed, serde_json::json!([]));
}

#[test]
fn a_content_token_for_a_location_another_client_holds_is_refused() {
    let env = Env::new();
    for name in ["Acme", "Globex"] {
        env.tk().args(["client", "add", name]).assert().success();
    }
    let first = env.file(
        "a.vpptoken",
        &ContentTokenSpec::new("Main Street", Utc::now() + Duration::days(200)).build(),
    );
    let second = env.file(
        "b.vpptoken",
        &ContentTokenSpec::new("Main Street", Utc::now() + Duration::days(300)).build(),
    );
    env.tk()
        .args(["import", p(&first), "--client", "Acme"])
        .assert()
        .success();
    let out = env
        .tk()
        .args([
            "import",
            p(&second),
            "--client",
            "Globex",
            "--yes",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "duplicate");
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("Acme") && message.contains("Main Street"),
        "{message}"
    );
    let (status, _) = env.json(&["status", "--json"]);
    assert_eq!(status.as_array().unwrap().len(), 1);
}

/// The keys of a JSON object in the order written, duplicates kept (a `Value` would merge them).
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some((k, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(V)
    }
}

fn assert_keys_once(json: &[u8]) -> Value {
    let Keys(keys) = serde_json::from_slice(json).unwrap();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), keys.len(), "a key repeated: {keys:?}");
    serde_json::from_slice(json).unwrap()
}

#[test]
fn import_json_names_each_key_once() {
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let topic = random_topic();
    let cert = |days| {
        pem(&PushCertificateSpec::new(&topic)
            .expiring(Utc::now() + Duration::days(days))
            .issue(&TestCa::new(), KeyPair::shared(0)))
    };
    let first = env.file("first.pem", &cert(200));
    let renewal = env.file("renewal.pem", &cert(300));
    let mut uids = Vec::new();
    for (file, action) in [
        (&first, "new"),
        (&renewal, "renew"),
        (&renewal, "already_on_record"),
    ] {
        let out = env
            .tk()
            .args(["import", p(file), "--client", "Acme", "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let v = assert_keys_once(&out.stdout);
        assert_eq!(v["action"], action);
        assert!(v["revision"].is_u64() && v["label"].is_string(), "{v}");
        uids.push(v["uid"].as_str().unwrap().to_owned());
    }
    assert!(uids.iter().all(|u| u == &uids[0]), "{uids:?}");
}
