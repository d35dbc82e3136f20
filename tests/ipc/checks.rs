//! Checks with Apple through IPC, against the fake Apple server on 127.0.0.1: what Apple says
//! (server, organisation, Apple Account, location), the reasons of its refusals, results kept
//! for the cards, the settings, and the shared vault left free while Apple is slow.

use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tokenkeeper_core::testing::fake_apple::{FakeApple, Reply, client_config, sample_account};
use tokenkeeper_core::testing::{
    ContentTokenSpec, KeyPair, PushCertificateSpec, ServerTokenSpec, TestCa, abm_certificate, pem,
    random_topic,
};

use super::{Harness, import_args, request};

fn settings(fake: &FakeApple, timeout_seconds: u32) -> Value {
    json!({ "settings": {
        "device_assignment_url": fake.device_assignment_url(),
        "apps_and_books_url": fake.apps_and_books_url(),
        "timeout_seconds": timeout_seconds,
        "schedule": { "enabled": false, "interval_hours": 24 },
    }})
}

/// Acme with an ADE token and an Apps and Books token, both known to the fake.
fn setup(fake: &FakeApple, timeout_seconds: u32) -> Harness {
    let h = Harness::start();
    h.ok("set_check_settings", settings(fake, timeout_seconds));
    h.add_client("Acme");
    let key = KeyPair::shared(1);
    let spec = ServerTokenSpec::new("CK_ipc", Utc::now() + Duration::days(200));
    fake.add_server_token(&spec, sample_account());
    let token = h.file(
        "Acme_Token_smime.p7m",
        &spec.build(&abm_certificate(key, "MDM", 5)),
    );
    let mut args = import_args("Acme", &token);
    args["key_path"] = json!(h.file("mdm.key", &key.pkcs1_pem()));
    h.ok("import_file", json!({ "args": args, "confirmation": {} }));
    let expires = Utc::now() + Duration::days(300);
    let vpp = ContentTokenSpec::new("Acme Inc", expires).build();
    fake.add_content_token(
        &vpp,
        client_config("Main Street", "77", expires, Some("Jamf")),
    );
    let path = h.file("sToken_for_Main_Street.vpptoken", &vpp);
    h.ok(
        "import_file",
        json!({ "args": import_args("Acme", &path), "confirmation": {} }),
    );
    h
}

fn of_kind<'a>(rows: &'a Value, kind: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == kind)
        .unwrap()
}

#[test]
fn a_check_shows_what_apple_says_and_keeps_it_for_the_cards() {
    let fake = FakeApple::start();
    let h = setup(&fake, 10);
    assert_eq!(h.ok("last_checks", json!({})), json!([]));

    let rows = h.ok("check_all", json!({}));
    let ade = of_kind(&rows, "server_token");
    assert_eq!(ade["outcome"], "ok");
    assert_eq!(ade["service"], "device_assignment");
    assert_eq!(ade["details"]["server_name"], "dev");
    assert_eq!(ade["details"]["admin_id"], "apple-dep@acme.co");
    let vpp = of_kind(&rows, "content_token");
    assert_eq!(vpp["details"]["location_name"], "Main Street");
    assert_eq!(vpp["details"]["uid"], "77");
    assert_eq!(vpp["details"]["mdm_info"]["name"], "Jamf");
    assert!(vpp["details"]["apple_expires_at"].is_string());

    let kept = h.ok("last_checks", json!({}));
    assert_eq!(kept.as_array().unwrap().len(), 2);
    assert_eq!(
        of_kind(&kept, "server_token")["checked_at"],
        ade["checked_at"]
    );
    fake.assert_read_only();
}

#[test]
fn apple_refusals_put_the_token_in_error_with_the_core_reason() {
    let fake = FakeApple::start();
    let h = setup(&fake, 10);
    fake.script("/account", Reply::new(403, "T_C_NOT_SIGNED"));
    let rows = h.ok("check_client", json!({ "name": "acme" }));
    let ade = of_kind(&rows, "server_token");
    assert_eq!(ade["outcome"], "problem");
    assert_eq!(ade["details"]["finding"], "terms_not_accepted");
    let reason = ade["reason"].as_str().unwrap();
    assert!(reason.contains("an Administrator must accept the new terms at business.apple.com"));
    let listed = h.ok("list_credentials", json!({}));
    let row = of_kind(&listed, "server_token");
    assert_eq!(row["status"]["state"], "error");
    assert_eq!(row["status"]["reason"], reason);

    // Apple busy: could not check, with the time it asked to wait until; the state unchanged.
    let vpp_uid = of_kind(&listed, "content_token")["uid"].clone();
    fake.script(
        "/mdm/v2/client/config",
        Reply::new(503, "").header("Retry-After", "30"),
    );
    let busy = h.ok("check_credential", json!({ "uid": vpp_uid }));
    assert_eq!(busy["outcome"], "could_not_check");
    assert_eq!(busy["details"]["finding"], "busy");
    assert!(busy["retry_after"].is_string());
    let listed = h.ok("list_credentials", json!({}));
    assert_eq!(
        of_kind(&listed, "content_token")["status"]["state"],
        "active"
    );

    // Revoked: the Device Assignment service is not the busy one, so it is asked.
    fake.script("/session", Reply::new(401, "oauth_problem=token_rejected"));
    let ade_uid = of_kind(&listed, "server_token")["uid"].clone();
    let revoked = h.ok("check_credential", json!({ "uid": ade_uid }));
    assert_eq!(revoked["outcome"], "problem");
    assert_eq!(revoked["details"]["finding"], "revoked");
    assert!(
        revoked["reason"]
            .as_str()
            .unwrap()
            .contains("revoked or replaced by a newer download")
    );

    // A good check clears the Error a check had set.
    let ok = h.ok("check_credential", json!({ "uid": ade_uid }));
    assert_eq!(ok["outcome"], "ok");
    let listed = h.ok("list_credentials", json!({}));
    assert_eq!(
        of_kind(&listed, "server_token")["status"]["state"],
        "active"
    );
}

#[test]
fn checks_refuse_what_cannot_be_checked() {
    let fake = FakeApple::start();
    let h = setup(&fake, 10);
    let cert = PushCertificateSpec::new(&random_topic()).expiring(Utc::now() + Duration::days(90));
    let path = h.file(
        "MDM.pem",
        &pem(&cert.issue(&TestCa::new(), KeyPair::shared(0))),
    );
    let push = h.ok(
        "import_file",
        json!({ "args": import_args("Acme", &path), "confirmation": {} }),
    );
    let (kind, message) = h.err_body("check_credential", json!({ "uid": push["uid"] }));
    assert_eq!(kind, "invalid_input");
    assert!(message.contains("APNs push certificates have no read-only check"));
    assert_eq!(
        h.err("check_credential", json!({ "uid": "nope" })),
        "not_found"
    );
    assert_eq!(
        h.err("check_client", json!({ "name": "Nobody" })),
        "not_found"
    );
}

#[test]
fn check_settings_are_validated_and_kept() {
    let fake = FakeApple::start();
    let h = Harness::start();
    let defaults = h.ok("get_check_settings", json!({}));
    assert_eq!(
        defaults["device_assignment_url"],
        "https://mdmenrollment.apple.com"
    );
    assert_eq!(defaults["schedule"]["enabled"], false);

    let mut wanted = settings(&fake, 45);
    wanted["settings"]["schedule"]["enabled"] = json!(true);
    let saved = h.ok("set_check_settings", wanted.clone());
    assert_eq!(saved["apps_and_books_url"], fake.apps_and_books_url());
    assert_eq!(saved["timeout_seconds"], 45);
    assert_eq!(saved["schedule"]["enabled"], true);
    assert_eq!(h.ok("get_check_settings", json!({})), saved);

    for url in [
        "http://example.com",
        "ftp://localhost",
        "mdmenrollment.apple.com",
    ] {
        let mut bad = wanted.clone();
        bad["settings"]["device_assignment_url"] = json!(url);
        assert_eq!(h.err("set_check_settings", bad), "invalid_input", "{url}");
    }
    let mut slow = wanted.clone();
    slow["settings"]["timeout_seconds"] = json!(0);
    assert_eq!(h.err("set_check_settings", slow), "invalid_input");
    assert_eq!(
        h.ok("get_check_settings", json!({})),
        saved,
        "refusals change nothing"
    );
}

#[test]
fn a_slow_apple_does_not_block_the_rest_of_the_app() {
    let fake = FakeApple::start();
    let h = setup(&fake, 2);
    fake.clear_requests();
    fake.script("/session", Reply::stall());
    let webview = h.webview.clone();
    let started = Instant::now();
    let check = std::thread::spawn(move || {
        let answer = tauri::test::get_ipc_response(&webview, request("check_all", json!({})));
        answer.unwrap().deserialize::<Value>().unwrap()
    });
    while fake.requests().is_empty() {
        assert!(
            started.elapsed() < StdDuration::from_secs(5),
            "the check never called Apple"
        );
        std::thread::sleep(StdDuration::from_millis(20));
    }
    let asked = Instant::now();
    let clients = h.ok("list_clients", json!({}));
    assert_eq!(clients[0]["name"], "Acme");
    assert!(
        asked.elapsed() < StdDuration::from_millis(1500),
        "list_clients waited for Apple: {:?}",
        asked.elapsed()
    );
    let rows = check.join().unwrap();
    let ade = of_kind(&rows, "server_token");
    assert_eq!(ade["outcome"], "could_not_check");
    assert_eq!(ade["details"]["finding"], "unreachable");
    assert!(started.elapsed() >= StdDuration::from_secs(2));
}
