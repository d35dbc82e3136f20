//! MDM connections through IPC, against the fake Intune console on 127.0.0.1 (TLS, a test CA):
//! a form tested without storing anything, a connection added (its secret to the keychain,
//! never in an answer), synced, refused when it is wrong, and removed with its secret.

use serde_json::{Value, json};
use tokenkeeper_core::mdm::Vendor;
use tokenkeeper_mdm::testing::{CLIENT_ID, FakeMdm, SECRET, TENANT, VPP_TOKEN_VALUE, test_ca_pem};

use super::Harness;

fn intune_form(fake: &FakeMdm, name: &str, client: &str) -> Value {
    json!({
        "name": name,
        "client": client,
        "vendor": "intune",
        "url": fake.url(),
        "tenant": TENANT,
        "client_id": CLIENT_ID,
        "ca_pem": test_ca_pem(),
    })
}

#[test]
fn an_mdm_is_tested_added_synced_and_removed_and_its_secret_never_comes_back() {
    let fake = FakeMdm::start(Vendor::Intune);
    let h = Harness::start();
    h.forbid(SECRET);
    h.forbid(VPP_TOKEN_VALUE);
    h.add_client("Acme");
    let keychain_before = format!("{:?}", h.secrets);
    let form = intune_form(&fake, "Acme Intune", "Acme");

    // Test: reads the console, stores nothing; a wrong secret is a report that says so.
    let wrong = h.ok(
        "test_mdm_connection",
        json!({ "form": form, "secret": "not-the-secret" }),
    );
    assert_eq!(wrong["ok"], false, "{wrong}");
    assert!(!wrong["error"].as_str().unwrap_or_default().is_empty());
    let tested = h.ok(
        "test_mdm_connection",
        json!({ "form": form, "secret": SECRET }),
    );
    assert_eq!(tested["ok"], true, "{tested}");
    assert_eq!(tested["push_certificates"], 1);
    assert_eq!(tested["server_tokens"], 2);
    assert_eq!(tested["content_tokens"], 1);
    assert_eq!(h.ok("mdm_connections", json!({})), json!([]));
    assert_eq!(format!("{:?}", h.secrets), keychain_before);

    // Add, then sync: what it holds is recorded on the connection.
    let added = h.ok(
        "add_mdm_connection",
        json!({ "form": form, "secret": SECRET }),
    );
    assert_eq!(added["name"], "Acme Intune");
    assert_eq!(added["client"], "Acme");
    assert_eq!(added["vendor"], "intune");
    assert_eq!(added["own_ca"], true);
    assert_eq!(added["synced_at"], Value::Null);
    assert_ne!(format!("{:?}", h.secrets), keychain_before, "secret kept");
    let reports = h.ok("sync_mdm", json!({ "name": "acme intune" }));
    assert_eq!(reports.as_array().unwrap().len(), 1);
    assert_eq!(reports[0]["ok"], true, "{reports}");
    let listed = h.ok("mdm_connections", json!({}));
    assert!(listed[0]["synced_at"].is_string(), "{listed}");
    assert_eq!(listed[0]["held"], 4);
    assert_eq!(listed[0]["last_error"], Value::Null);
    // Every connection at once.
    assert_eq!(h.ok("sync_mdm", json!({ "name": null }))[0]["ok"], true);
    fake.assert_read_only();

    // Refusals, each with its kind.
    assert_eq!(
        h.err(
            "add_mdm_connection",
            json!({ "form": form, "secret": SECRET })
        ),
        "already_exists"
    );
    assert_eq!(
        h.err(
            "add_mdm_connection",
            json!({ "form": intune_form(&fake, "Globex Intune", "Globex"), "secret": SECRET }),
        ),
        "not_found"
    );
    let mut unknown = intune_form(&fake, "Other", "Acme");
    unknown["vendor"] = json!("airwatch");
    assert_eq!(
        h.err(
            "add_mdm_connection",
            json!({ "form": unknown, "secret": SECRET })
        ),
        "invalid_input"
    );
    assert_eq!(h.err("sync_mdm", json!({ "name": "Nobody" })), "not_found");

    // Remove: the connection and its secret go.
    h.ok("remove_mdm_connection", json!({ "name": "Acme Intune" }));
    assert_eq!(h.ok("mdm_connections", json!({})), json!([]));
    assert_eq!(
        h.err("remove_mdm_connection", json!({ "name": "Acme Intune" })),
        "not_found"
    );
    assert_eq!(format!("{:?}", h.secrets), keychain_before);
}

#[test]
fn a_sync_that_fails_is_recorded_on_the_connection_without_the_secret() {
    let fake = FakeMdm::start(Vendor::Intune);
    let h = Harness::start();
    h.forbid(SECRET);
    h.add_client("Acme");
    h.ok(
        "add_mdm_connection",
        json!({ "form": intune_form(&fake, "Acme Intune", "Acme"), "secret": "a-wrong-secret-5150" }),
    );
    h.forbid("a-wrong-secret-5150");
    let reports = h.ok("sync_mdm", json!({ "name": "Acme Intune" }));
    assert_eq!(reports[0]["ok"], false, "{reports}");
    let listed = h.ok("mdm_connections", json!({}));
    assert!(listed[0]["attempted_at"].is_string(), "{listed}");
    assert_eq!(listed[0]["synced_at"], Value::Null);
    assert!(
        !listed[0]["last_error"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "{listed}"
    );
}
