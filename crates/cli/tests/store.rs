//! The store's command-line contract through the built binary, on a real SQLite file and the
//! real OS keychain (run through `npm test`, which provides one on Linux).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command as StdCommand;

use chrono::{Duration, SecondsFormat, Utc};
use predicates::prelude::*;
use serde_json::Value;
use tokenkeeper_core::testing::{
    CONTENT_SECRET_MARKER, ContentTokenSpec, KeyPair, PushCertificateSpec, SECRET_MARKERS,
    ServerTokenSpec, TestCa, abm_certificate, pem, random_topic,
};

mod common;
use common::Env;

fn push(topic: &str, days: i64) -> Vec<u8> {
    pem(&PushCertificateSpec::new(topic)
        .expiring(Utc::now() + Duration::days(days))
        .issue(&TestCa::new(), KeyPair::shared(0)))
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn clients_add_list_edit_remove() {
    let env = Env::new();
    env.tk()
        .args(["client", "add", "Acme Corp", "--portal", "school"])
        .assert()
        .success()
        .stdout(predicate::str::contains("school.apple.com"));
    env.tk()
        .args(["client", "add", "acme corp"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("already exists"));
    let (v, _) = env.json(&["client", "list", "--json"]);
    assert_eq!(v[0]["name"], "Acme Corp");
    assert_eq!(v[0]["portal"], "school");
    env.tk()
        .args([
            "client",
            "edit",
            "ACME CORP",
            "--rename",
            "Acme",
            "--portal",
            "business",
        ])
        .assert()
        .success();
    env.tk()
        .args(["client", "remove", "Acme"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("--yes"));
    env.tk()
        .args(["client", "remove", "Acme", "--yes"])
        .assert()
        .success();
    let (v, _) = env.json(&["client", "list", "--json"]);
    assert_eq!(v, serde_json::json!([]));
    let (v, code) = env.json(&["import", "/nonexistent", "--client", "Nobody", "--json"]);
    assert_eq!(code, 3);
    assert_eq!(v["error"]["kind"], "io");
}

#[test]
fn import_renew_refuse_and_accept_new_topic() {
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let topic = random_topic();
    let first = env.file("MDM_Acme.pem", &push(&topic, 20));
    env.tk()
        .args([
            "import",
            p(&first),
            "--client",
            "Acme",
            "--apple-account",
            "it@acme.example",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Added APNs push certificate"))
        .stdout(predicate::str::contains("still enroll"));
    let renewal = env.file("renewed.pem", &push(&topic, 385));
    let (v, code) = env.json(&["import", p(&renewal), "--client", "Acme", "--json"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["action"], "renew");
    assert_eq!(v["revision"], 2);
    assert_eq!(v["before"]["apple_account"], "it@acme.example");

    env.tk()
        .args(["import", p(&renewal), "--client", "Acme"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Already on record"));

    let wrong = env.file("created-not-renewed.pem", &push(&random_topic(), 390));
    let out = env
        .tk()
        .args(["import", p(&wrong), "--client", "Acme", "--json", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "identity_changed");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("Renew the row whose topic is {topic}")),
        "{stderr}"
    );
    assert!(stderr.contains("it@acme.example"), "{stderr}");
    assert!(stderr.contains("--accept-new-identity"), "{stderr}");

    env.tk()
        .args([
            "import",
            p(&wrong),
            "--client",
            "Acme",
            "--accept-new-identity",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Accepted warning"));
    let (events, _) = env.json(&["events", "--client", "acme", "--json"]);
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for k in [
        "client_added",
        "imported",
        "renewed",
        "refused",
        "warning_accepted",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
}

#[test]
fn status_json_and_exit_codes_for_monitoring() {
    let env = Env::new();
    let (v, code) = env.json(&["status", "--json"]);
    assert_eq!((v, code), (serde_json::json!([]), 0));
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let cert = env.file("a.pem", &push(&random_topic(), 100));
    env.tk()
        .args(["import", p(&cert), "--client", "Acme"])
        .assert()
        .success();
    let vpp = env.file(
        "s.vpptoken",
        &ContentTokenSpec::new("Acme Inc", Utc::now() + Duration::days(50)).build(),
    );
    env.tk()
        .args([
            "import",
            p(&vpp),
            "--client",
            "Acme",
            "--label",
            "Main Street",
        ])
        .assert()
        .success();

    let (v, code) = env.json(&["status", "--json"]);
    assert_eq!(code, 0);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["label"], "Main Street");
    assert_eq!(rows[0]["kind"], "content_token");
    assert_eq!(rows[0]["client"], "Acme");
    assert_eq!(rows[0]["state"], "active");
    assert_eq!(rows[0]["reason"], Value::Null);
    assert!(rows[0]["days_left"].as_i64().unwrap() >= 49);
    assert_eq!(rows[0]["source"], "file");
    assert_eq!(rows[0]["mdm"], Value::Null);
    assert_eq!(rows[0].as_object().unwrap().len(), 9);

    let at =
        |days: i64| (Utc::now() + Duration::days(days)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let (v, code) = env.json(&["status", "--json", "--at", &at(30)]);
    assert_eq!(
        (code, v[0]["state"].as_str()),
        (1, Some("renewal_required"))
    );
    let (v, code) = env.json(&["status", "--json", "--at", &at(60)]);
    assert_eq!((code, v[0]["state"].as_str()), (2, Some("expired")));
    let (v, code) = env.json(&["status", "--json", "--at", &at(200)]);
    assert_eq!((code, v[0]["state"].as_str()), (2, Some("lapsed")));
    env.tk()
        .args(["status"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Active").and(predicate::str::contains("Main Street")));
    env.tk()
        .args(["status", "--at", "not-a-date"])
        .assert()
        .code(64);
}

#[test]
fn exports_csv_ics_json() {
    let env = Env::new();
    env.tk()
        .args(["client", "add", "Acme, Inc."])
        .assert()
        .success();
    let cert = env.file("a.pem", &push(&random_topic(), 100));
    env.tk()
        .args(["import", p(&cert), "--client", "Acme, Inc."])
        .assert()
        .success();
    let ics = env.dir.path().join("out.ics");
    env.tk()
        .args(["export", "--format", "ics", "--out", p(&ics)])
        .assert()
        .success();
    let text = std::fs::read_to_string(&ics).unwrap();
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\n") && text.matches("BEGIN:VEVENT").count() == 1,
        "{text}"
    );
    assert_eq!(text.matches("BEGIN:VALARM").count(), 3);
    env.tk()
        .args(["export", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"Acme, Inc.\""));
    let out = env
        .tk()
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["client"], "Acme, Inc.");
}

#[test]
fn two_processes_importing_at_once_both_land() {
    let env = Env::new();
    env.tk().args(["client", "add", "Left"]).assert().success();
    env.tk().args(["client", "add", "Right"]).assert().success();
    let bin = assert_cmd::cargo::cargo_bin("tokenkeeper");
    let per_side = 8;
    let mut files = Vec::new();
    for side in ["Left", "Right"] {
        for i in 0..per_side {
            let vpp = ContentTokenSpec::new(
                &format!("{side} Org {i}"),
                Utc::now() + Duration::days(100 + i),
            )
            .build();
            files.push((side, env.file(&format!("{side}-{i}.vpptoken"), &vpp)));
        }
    }
    // One shell loop per side, both started together, each importing its files in sequence.
    let mut children = Vec::new();
    for side in ["Left", "Right"] {
        let script: String = files
            .iter()
            .filter(|(s, _)| *s == side)
            .map(|(_, f)| {
                format!(
                    "'{}' --db '{}' import '{}' --client {side} || exit 1\n",
                    bin.display(),
                    env.db().display(),
                    f.display()
                )
            })
            .collect();
        children.push(StdCommand::new("sh").arg("-c").arg(script).spawn().unwrap());
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let (v, _) = env.json(&["status", "--json"]);
    assert_eq!(v.as_array().unwrap().len(), 2 * per_side as usize);
    let (events, _) = env.json(&["events", "--kind", "imported", "--limit", "0", "--json"]);
    assert_eq!(events.as_array().unwrap().len(), 2 * per_side as usize);
}

#[test]
fn no_secret_in_the_database_file_or_output() {
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let key = KeyPair::shared(1);
    let abm = abm_certificate(key, "Acme MDM", 7);
    let token = env.file(
        "Acme_Token_smime.p7m",
        &ServerTokenSpec::new("CK_cli_store", Utc::now() + Duration::days(300)).build(&abm),
    );
    let key_file = env.file("mdm.key", &key.pkcs1_pem());
    let vpp_bytes = ContentTokenSpec::new("Acme Inc", Utc::now() + Duration::days(300)).build();
    let vpp = env.file("sToken.vpptoken", &vpp_bytes);
    let cert = env.file(
        "push.pem",
        &[push(&random_topic(), 300), KeyPair::shared(0).pkcs8_pem()].concat(),
    );
    let mut output = String::new();
    for args in [
        vec![
            "import",
            p(&token),
            "--client",
            "Acme",
            "--key",
            p(&key_file),
            "--json",
        ],
        vec!["import", p(&vpp), "--client", "Acme", "--json"],
        vec![
            "import",
            p(&cert),
            "--client",
            "Acme",
            "--key",
            p(&key_file),
        ],
        vec!["import", p(&cert), "--client", "Acme", "--json"],
        vec!["status", "--json"],
        vec!["events", "--json"],
        vec!["export", "--format", "json"],
        vec!["verify"],
    ] {
        let out = env.tk().args(&args).output().unwrap();
        output.push_str(&String::from_utf8_lossy(&out.stdout));
        output.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    assert!(
        output.contains("CK_cli_store")
            && output.contains("does not match this certificate")
            && output.contains("Every stored secret matches"),
        "{output}"
    );
    let mut db = std::fs::read(env.db()).unwrap();
    for ext in ["-wal", "-shm"] {
        db.extend(std::fs::read(format!("{}{ext}", env.db().display())).unwrap_or_default());
    }
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    for secret in SECRET_MARKERS.iter().chain([&CONTENT_SECRET_MARKER]) {
        assert!(
            !contains(&db, secret.as_bytes()),
            "{secret} in the database"
        );
        assert!(!output.contains(secret), "{secret} in the output");
    }
    let vpp_text = String::from_utf8(vpp_bytes).unwrap();
    assert!(!contains(&db, vpp_text.trim().as_bytes()));
    assert!(!contains(&db, b"PRIVATE KEY"));
}
