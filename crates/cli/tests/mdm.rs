//! `tokenkeeper mdm add|list|sync|remove` through the built binary against the TLS fakes of
//! the MDM consoles, on a real SQLite file and the real OS keychain (run through `npm test`):
//! status and exports show the MDM's view; no secret reaches the database or the output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use serde_json::Value;
use tokenkeeper_core::mdm::Vendor;
use tokenkeeper_core::testing::{KeyPair, PushCertificateSpec, TestCa, pem};
use tokenkeeper_mdm::testing::{
    CLIENT_ID, FakeMdm, Reply, SECRET, TENANT, TOPIC, VPP_TOKEN_VALUE, test_ca_pem,
};

mod common;
use common::Env;

fn add(env: &Env, name: &str, vendor: &str, url: &str, extra: &[&str]) -> std::process::Output {
    let ca = env.file("ca.pem", test_ca_pem().as_bytes());
    env.tk()
        .env("TOKENKEEPER_MDM_SECRET", SECRET)
        .args([
            "mdm", "add", name, "--client", "Acme", "--vendor", vendor, "--url", url,
        ])
        .arg("--ca-file")
        .arg(&ca)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn connections_sync_into_status_and_exports_without_secrets() {
    let intune = FakeMdm::start(Vendor::Intune);
    let fleet = FakeMdm::start(Vendor::Fleet);
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    // The renewed certificate is on record; Intune (by default) still holds the old one.
    let cert = PushCertificateSpec::new(TOPIC)
        .expiring(Utc::now() + Duration::days(300))
        .issue(&TestCa::new(), KeyPair::shared(0));
    let file = env.file("push.pem", &pem(&cert));
    env.tk()
        .arg("import")
        .arg(&file)
        .args(["--client", "Acme"])
        .assert()
        .success();

    let out = add(
        &env,
        "Acme Intune",
        "intune",
        &intune.url(),
        &["--tenant", TENANT, "--client-id", CLIENT_ID],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = add(&env, "Acme Fleet", "fleet", &fleet.url(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One that never answers must not hold the others up.
    let out = add(&env, "Acme Hung", "fleet", &fleet.tenant_url("hang-1"), &[]);
    assert!(out.status.success());

    let (reports, code) = env.json(&["mdm", "sync", "--json", "--timeout", "2"]);
    assert_eq!(code, 3, "{reports}");
    let reports = reports.as_array().unwrap();
    let by = |n: &str| {
        reports
            .iter()
            .find(|r| r["connection"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(by("Acme Intune")["ok"], true);
    assert_eq!(by("Acme Intune")["server_tokens"], 2);
    assert_eq!(by("Acme Fleet")["ok"], true);
    assert_eq!(by("Acme Hung")["ok"], false);
    assert!(
        by("Acme Hung")["error"]
            .as_str()
            .unwrap()
            .contains("no answer")
    );
    intune.assert_read_only();
    fleet.assert_read_only();

    let (status, code) = env.json(&["status", "--json"]);
    assert_eq!(code, 2, "a disagreement is an Error");
    let rows = status.as_array().unwrap();
    let push = rows
        .iter()
        .find(|r| r["kind"] == "push_certificate" && r["source"] == "both")
        .unwrap();
    let reason = push["reason"].as_str().unwrap();
    assert!(reason.contains("Intune still holds the one expiring 2026-12-20: upload the renewed certificate to Intune"), "{reason}");
    assert!(push["mdm"]["connection"].is_string());
    assert!(push["mdm"]["synced_at"].is_string());
    assert!(
        rows.iter()
            .any(|r| r["source"] == "mdm" && r["kind"] == "server_token")
    );
    assert!(
        rows.iter()
            .all(|r| r["source"] != "file" || r["mdm"].is_null())
    );

    let out = env
        .tk()
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    let exported: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        exported
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["source"] == "both")
    );
    let out = env
        .tk()
        .args(["export", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap()
            .ends_with("source,mdm_connection,mdm_vendor,mdm_expires_at")
    );

    let (list, _) = env.json(&["mdm", "list", "--json"]);
    let hung = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Acme Hung")
        .unwrap()
        .clone();
    assert!(hung["last_error"].is_string());
    assert!(hung["synced_at"].is_null());

    // No secret anywhere: database, events, outputs.
    let (events, _) = env.json(&["events", "--json"]);
    let everything = format!("{status}{list}{events}{exported}");
    let db = std::fs::read(env.db()).unwrap();
    for secret in [SECRET, VPP_TOKEN_VALUE, "fake-access-token"] {
        assert!(!everything.contains(secret), "{secret} in output");
        assert!(
            !db.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} in the database"
        );
    }
    assert!(events.to_string().contains("mdm_sync_failed"));

    env.tk()
        .args(["mdm", "remove", "Acme Hung"])
        .assert()
        .success();
    let (list, _) = env.json(&["mdm", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
}

#[test]
fn a_failing_console_changes_nothing_stored() {
    let fake = FakeMdm::start(Vendor::Jamf);
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let out = add(
        &env,
        "Acme Jamf",
        "jamf",
        &fake.url(),
        &["--client-id", CLIENT_ID],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, code) = env.json(&["mdm", "sync", "Acme Jamf", "--json"]);
    assert_eq!(code, 0);
    let (before, _) = env.json(&["status", "--json"]);
    for reply in [
        Reply::json(500, &serde_json::json!({})),
        Reply::new(200, "{\"totalCount\": 1, \"results\": [{\"serverName\""),
        Reply::json(429, &serde_json::json!({})).header("Retry-After", "600"),
    ] {
        fake.script("/api/v1/device-enrollments", reply);
        let (r, code) = env.json(&["mdm", "sync", "acme jamf", "--json"]);
        assert_eq!(code, 3, "{r}");
        let (after, _) = env.json(&["status", "--json"]);
        assert_eq!(after, before);
    }
    let e = env.tk().args(["mdm", "sync", "nobody"]).output().unwrap();
    assert!(String::from_utf8_lossy(&e.stderr).contains("MDM connection \"nobody\" not found"));
    // A form that cannot work is refused before any secret is asked.
    let out = env
        .tk()
        .args(["mdm", "add", "X", "--client", "Acme", "--vendor", "intune"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("tenant"));
}
