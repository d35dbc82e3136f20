//! Files through IPC: identify, plan, import, refusals, the dashboard, the client page, the
//! audit log. Files are named by path; their contents and secrets never come back.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tokenkeeper_core::testing::{
    ContentTokenSpec, KeyPair, PushCertificateSpec, ServerTokenSpec, TestCa, abm_certificate, pem,
    random_topic,
};

use super::{Harness, import_args};

fn push_certificate(topic: &str, days: i64) -> Vec<u8> {
    pem(&PushCertificateSpec::new(topic)
        .expiring(Utc::now() + Duration::days(days))
        .issue(&TestCa::new(), KeyPair::shared(0)))
}

fn kinds(events: &Value) -> Vec<String> {
    events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_push_certificate_is_planned_imported_and_listed_active() {
    let h = Harness::start();
    h.add_client("Acme");
    let topic = random_topic();
    let path = h.file("MDM_Acme.pem", &push_certificate(&topic, 300));

    let found = h.ok("identify_file", json!({ "path": path }));
    assert_eq!(found["kind"], "push_certificate");
    assert_eq!(found["clients"], json!([]));

    let plan = h.ok("plan_import", json!({ "args": import_args("Acme", &path) }));
    assert_eq!(plan["action"], "new");
    assert_eq!(plan["before"], Value::Null);
    assert_eq!(plan["after"]["identity"], topic.as_str());
    assert_eq!(
        h.ok("list_credentials", json!({})),
        json!([]),
        "a plan writes nothing"
    );

    let mut args = import_args("Acme", &path);
    args["apple_account"] = json!("mdm@acme.example");
    let outcome = h.ok(
        "import_file",
        json!({ "args": args, "confirmation": { "confirmed": false, "accept_new_identity": false } }),
    );
    assert_eq!(outcome["revision"], 1);
    let uid = outcome["uid"].as_str().unwrap().to_owned();

    let rows = h.ok("list_credentials", json!({}));
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["uid"], uid.as_str());
    assert_eq!(rows[0]["client"], "Acme");
    assert_eq!(rows[0]["kind"], "push_certificate");
    assert_eq!(rows[0]["status"]["state"], "active");
    assert_eq!(rows[0]["apple_account"], "mdm@acme.example");

    let found = h.ok("identify_file", json!({ "path": path }));
    assert_eq!(found["clients"], json!(["Acme"]));

    let page = h.ok("client_credentials", json!({ "name": "acme" }));
    assert_eq!(page[0]["summary"]["uid"], uid.as_str());
    // The renewal wizard's target comes from the core: the client's only push certificate.
    let target = h.ok(
        "expected_renewal",
        json!({ "client": "ACME", "kind": "push_certificate", "label": null }),
    );
    assert_eq!(target["uid"], uid.as_str());
    assert_eq!(target["apple_account"], "mdm@acme.example");
    let none = h.ok(
        "expected_renewal",
        json!({ "client": "Acme", "kind": "content_token", "label": null }),
    );
    assert_eq!(none, Value::Null);
    assert_eq!(page[0]["versions"][0]["file_name"], "MDM_Acme.pem");
    assert_eq!(kinds(&page[0]["events"]), ["imported"]);

    h.ok(
        "update_credential",
        json!({ "uid": uid, "label": "Main APNs", "appleAccount": null }),
    );
    let rows = h.ok("list_credentials", json!({}));
    assert_eq!(rows[0]["label"], "Main APNs");
    assert_eq!(rows[0]["apple_account"], Value::Null);
    h.ok("remove_credential", json!({ "uid": uid }));
    assert_eq!(h.ok("list_credentials", json!({})), json!([]));
    assert_eq!(
        h.err("remove_credential", json!({ "uid": uid })),
        "not_found"
    );
}

#[test]
fn a_renewal_plan_shows_before_and_after() {
    let h = Harness::start();
    h.add_client("Acme");
    let topic = random_topic();
    let old = h.file("old.pem", &push_certificate(&topic, 10));
    let none = json!({});
    h.ok(
        "import_file",
        json!({ "args": import_args("Acme", &old), "confirmation": none }),
    );
    assert_eq!(
        h.ok("list_credentials", json!({}))[0]["status"]["state"],
        "renewal_required"
    );

    let new = h.file("new.pem", &push_certificate(&topic, 370));
    let plan = h.ok("plan_import", json!({ "args": import_args("Acme", &new) }));
    assert_eq!(plan["action"], "renew");
    assert_eq!(plan["before"]["identity"], plan["after"]["identity"]);
    assert_ne!(plan["before"]["expires_at"], plan["after"]["expires_at"]);
    assert_eq!(plan["warnings"], json!([]));

    let outcome = h.ok(
        "import_file",
        json!({ "args": import_args("Acme", &new), "confirmation": none }),
    );
    assert_eq!(outcome["revision"], 2);
    let page = h.ok("client_credentials", json!({ "name": "Acme" }));
    assert_eq!(page[0]["summary"]["status"]["state"], "active");
    assert_eq!(page[0]["versions"].as_array().unwrap().len(), 2);
}

#[test]
fn a_new_topic_is_refused_as_identity_changed_until_accepted() {
    let h = Harness::start();
    h.add_client("Acme");
    let old_topic = random_topic();
    let old = h.file("old.pem", &push_certificate(&old_topic, 20));
    h.ok(
        "import_file",
        json!({ "args": import_args("Acme", &old), "confirmation": {} }),
    );

    let other = h.file("other.pem", &push_certificate(&random_topic(), 365));
    let plan = h.ok(
        "plan_import",
        json!({ "args": import_args("Acme", &other) }),
    );
    assert_eq!(plan["warnings"][0]["kind"], "new_topic");
    assert_eq!(plan["before"]["identity"], old_topic.as_str());
    assert_ne!(plan["after"]["identity"], old_topic.as_str());

    for confirmation in [
        json!({}),
        json!({ "confirmed": true, "accept_new_identity": false }),
    ] {
        let kind = h.err(
            "import_file",
            json!({ "args": import_args("Acme", &other), "confirmation": confirmation }),
        );
        assert_eq!(kind, "identity_changed");
    }
    let accepted = json!({ "confirmed": false, "accept_new_identity": true });
    h.ok(
        "import_file",
        json!({ "args": import_args("Acme", &other), "confirmation": accepted }),
    );

    let refused = h.ok(
        "list_events",
        json!({ "query": { "client": "acme", "kinds": ["refused"], "limit": 0 } }),
    );
    assert_eq!(refused.as_array().unwrap().len(), 2);
    let latest = h.ok(
        "list_events",
        json!({ "query": { "client": null, "kinds": [], "limit": 2 } }),
    );
    assert_eq!(kinds(&latest).len(), 2);
    assert!(kinds(&latest).contains(&"warning_accepted".to_owned()));
}

#[test]
fn wrong_files_are_refused_with_a_kind_and_a_message() {
    let h = Harness::start();
    h.add_client("Acme");
    let png = h.file("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    assert_eq!(
        h.err("identify_file", json!({ "path": png })),
        "unrecognized_file"
    );
    let body = h
        .call(
            "import_file",
            json!({ "args": import_args("Acme", &png), "confirmation": {} }),
        )
        .unwrap_err();
    assert_eq!(body["kind"], "unrecognized_file");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("not an Apple MDM credential")
    );

    let missing = h.dir.path().join("gone.pem");
    assert_eq!(h.err("identify_file", json!({ "path": missing })), "io");
    let big = h.file("video.mp4", &vec![0u8; 2 * 1024 * 1024]);
    assert_eq!(h.err("identify_file", json!({ "path": big })), "too_large");
    let cert = h.file("cert.pem", &push_certificate(&random_topic(), 100));
    assert_eq!(
        h.err(
            "plan_import",
            json!({ "args": import_args("Nobody", &cert) })
        ),
        "not_found"
    );
}

#[test]
fn secrets_never_cross_ipc() {
    let h = Harness::start();
    h.add_client("Acme");
    let key = KeyPair::shared(1);
    let recipient = abm_certificate(key, "Acme MDM", 12);
    let token = ServerTokenSpec::new("CK_acme", Utc::now() + Duration::days(200)).build(&recipient);
    let token_path = h.file("Acme_Token_smime.p7m", &token);
    let key_path = h.file("acme-mdm.key", &key.pkcs1_pem());
    let mut args = import_args("Acme", &token_path);
    args["key_path"] = json!(key_path);
    args["label"] = json!("Cupertino ABM");
    // Every answer below is scanned for the token's OAuth values and the key (Harness::call).
    let plan = h.ok("plan_import", json!({ "args": args }));
    assert_eq!(plan["decrypted"], true);
    assert_eq!(plan["after"]["identity"], "CK_acme");
    h.ok("import_file", json!({ "args": args, "confirmation": {} }));

    let vpp = ContentTokenSpec::new("Main Street", Utc::now() + Duration::days(300)).build();
    let vpp_path = h.file("Main_Street.vpptoken", &vpp);
    h.ok("identify_file", json!({ "path": vpp_path }));
    h.ok(
        "import_file",
        json!({ "args": import_args("Acme", &vpp_path), "confirmation": {} }),
    );
    // The same files again: refusals and "already on record" answers are scanned too.
    h.ok(
        "import_file",
        json!({ "args": import_args("Acme", &vpp_path), "confirmation": {} }),
    );
    h.ok("identify_file", json!({ "path": token_path }));

    let rows = h.ok("list_credentials", json!({}));
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"]["state"] == "active")
    );
    h.ok("client_credentials", json!({ "name": "Acme" }));
    h.ok(
        "list_events",
        json!({ "query": { "client": null, "kinds": [], "limit": 0 } }),
    );
    h.ok("list_clients", json!({}));
}
