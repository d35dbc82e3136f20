//! Keys through IPC: the push CSR, the vendor-signed request, the certificate exported for the
//! MDM, ADE key pairs made or imported, the keys list. Files go by path; no answer holds key
//! material or a password the user typed (Harness::call scans each one).

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tokenkeeper_core::pki::pkcs12;
use tokenkeeper_core::secrets::SecretStore;
use tokenkeeper_core::testing::{
    KeyPair, PushCertificateSpec, ServerTokenSpec, TestCa, abm_certificate, pem, random_topic, x509,
};

use super::{Harness, import_args};

fn csr_args(h: &Harness, client: &str, out: &str) -> Value {
    json!({ "args": {
        "client": client, "email": "it@acme.example", "country": "DE", "out": h.dir.path().join(out)
    }})
}

/// Apple's answer to the CSR: a push certificate for the key TokenKeeper kept.
fn certificate_for_pending_key(h: &Harness, client: &str) -> Vec<u8> {
    let keys = h.ok("list_keys", json!({ "client": client }));
    let uid = keys[0]["uid"].as_str().unwrap();
    let key_pem = h.secrets.get(&format!("{uid}/key")).unwrap().unwrap();
    let key = KeyPair::from_pem(&key_pem);
    let spec = PushCertificateSpec::new(&random_topic()).expiring(Utc::now() + Duration::days(365));
    pem(&spec.issue(&TestCa::new(), &key))
}

fn import(h: &Harness, client: &str, name: &str, bytes: &[u8]) -> Value {
    let path = h.file(name, bytes);
    h.ok(
        "import_file",
        json!({ "args": import_args(client, &path), "confirmation": {} }),
    )
}

#[test]
fn a_csr_without_vendor_is_saved_and_says_who_signs_it() {
    let h = Harness::start();
    h.add_client("Acme");
    let saved = h.ok("create_push_csr", csr_args(&h, "Acme", "acme.csr"));
    assert_eq!(saved["vendor_available"], false);
    assert!(saved["explanation"].as_str().unwrap().contains("signed it"));
    assert_eq!(saved["key"]["purpose"], "push_csr");
    assert_eq!(saved["key"]["client"], "Acme");
    let csr = std::fs::read_to_string(h.dir.path().join("acme.csr")).unwrap();
    assert!(
        csr.starts_with("-----BEGIN CERTIFICATE REQUEST-----"),
        "{csr}"
    );

    let keys = h.ok("list_keys", json!({ "client": "acme" }));
    assert_eq!(keys.as_array().unwrap().len(), 1);
    assert_eq!(keys[0]["uid"], saved["key"]["uid"]);

    let out = h.dir.path().join("request.b64");
    let (kind, message) = h.err_body(
        "push_request",
        json!({ "client": "Acme", "vendor": null, "out": out }),
    );
    assert_eq!(kind, "vendor_required");
    assert!(message.contains("MDM vendor"), "{message}");
    assert!(!out.exists());
}

#[test]
fn a_csr_refused_or_unsaved_leaves_no_key_behind() {
    let h = Harness::start();
    h.add_client("Acme");
    let mut bad_country = csr_args(&h, "Acme", "a.csr");
    bad_country["args"]["country"] = json!("Germany");
    assert_eq!(h.err("create_push_csr", bad_country), "invalid_input");
    assert_eq!(
        h.err("create_push_csr", csr_args(&h, "Nobody", "a.csr")),
        "not_found"
    );
    assert_eq!(
        h.err(
            "create_push_csr",
            csr_args(&h, "Acme", "no/such/folder/a.csr")
        ),
        "io"
    );
    assert_eq!(h.ok("list_keys", json!({ "client": null })), json!([]));
}

#[test]
fn a_vendor_signs_the_request_and_the_certificate_is_exported_for_the_mdm() {
    let h = Harness::start();
    h.add_client("Acme");
    let ca = TestCa::named("Test Apple WWDR");
    let vendor_key = KeyPair::shared(1);
    let vendor_cert = PushCertificateSpec::new("com.apple.mgmt.vendor-test").issue(&ca, vendor_key);
    let p12 = h.file(
        "vendor.p12",
        &vendor_key.pkcs12(&vendor_cert, "vendor-pass"),
    );
    let chain = h.file("apple-ca.pem", &pem(&ca.cert));
    h.forbid("vendor-pass");
    h.forbid("wrong-pass");
    let vendor = |password: &str| json!({ "path": p12, "label": "Example", "password": password, "chain": [chain] });
    assert_eq!(h.err("add_vendor", vendor("wrong-pass")), "wrong_password");
    let record = h.ok("add_vendor", vendor("vendor-pass"));
    assert_eq!(record["purpose"], "vendor");
    assert_eq!(record["label"], "Example");

    let saved = h.ok("create_push_csr", csr_args(&h, "Acme", "acme.csr"));
    assert_eq!(saved["vendor_available"], true);
    assert_eq!(saved["explanation"], Value::Null);
    let out = h.dir.path().join("request.b64");
    let signed = h.ok(
        "push_request",
        json!({ "client": "Acme", "vendor": null, "out": out }),
    );
    assert_eq!(signed["vendor"], "Example");
    assert_eq!(signed["key_uid"], saved["key"]["uid"]);
    assert_eq!(signed["chain_complete"], true);
    assert!(!std::fs::read(&out).unwrap().is_empty());

    let cert = certificate_for_pending_key(&h, "Acme");
    import(&h, "Acme", "MDM_Acme.pem", &cert);
    let page = h.ok("client_credentials", json!({ "name": "Acme" }));
    assert_eq!(page[0]["key_held"], true);
    assert_eq!(
        h.ok("list_keys", json!({ "client": "Acme" })),
        json!([]),
        "the CSR key now belongs to the certificate"
    );

    h.forbid("export-pass");
    let p12_out = h.dir.path().join("acme.p12");
    let export = |format: &str, out: &std::path::Path, password: Value| json!({ "args": { "client": "Acme", "format": format, "out": out }, "password": password });
    let (kind, _) = h.err_body("export_certificate", export("p12", &p12_out, Value::Null));
    assert_eq!(kind, "invalid_input");
    assert_eq!(
        h.ok(
            "export_certificate",
            export("p12", &p12_out, json!("export-pass"))
        ),
        Value::Null
    );
    let bytes = std::fs::read(&p12_out).unwrap();
    let bundle = pkcs12::open(&bytes, "export-pass").unwrap();
    assert!(bundle.certificate.is_some());
    assert!(pkcs12::open(&bytes, "other").is_err());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p12_out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by its owner only");
    }
    let pem_out = h.dir.path().join("acme_bundle.pem");
    h.ok("export_certificate", export("pem", &pem_out, Value::Null));
    let text = std::fs::read_to_string(&pem_out).unwrap();
    assert!(text.contains("BEGIN CERTIFICATE") && text.contains("PRIVATE KEY"));
    let legacy = h.dir.path().join("legacy.p12");
    h.ok(
        "export_certificate",
        export("p12_legacy", &legacy, json!("export-pass")),
    );
    assert!(pkcs12::open(&std::fs::read(&legacy).unwrap(), "export-pass").is_ok());
}

#[test]
fn a_tracked_only_certificate_has_nothing_to_export() {
    let h = Harness::start();
    h.add_client("Acme");
    let spec = PushCertificateSpec::new(&random_topic()).expiring(Utc::now() + Duration::days(200));
    import(
        &h,
        "Acme",
        "hosted.pem",
        &pem(&spec.issue(&TestCa::new(), KeyPair::shared(2))),
    );
    let page = h.ok("client_credentials", json!({ "name": "Acme" }));
    assert_eq!(page[0]["key_held"], false);
    let out = h.dir.path().join("x.pem");
    let (kind, message) = h.err_body(
        "export_certificate",
        json!({ "args": { "client": "Acme", "format": "pem", "out": out }, "password": null }),
    );
    assert_eq!(kind, "key_required");
    assert!(message.contains("tracked only"), "{message}");
    assert!(!out.exists());
}

#[test]
fn an_ade_key_pair_is_made_its_certificate_saved_and_its_token_read() {
    let h = Harness::start();
    h.add_client("Acme");
    let out = h.dir.path().join("acme_abm.pem");
    let record = h.ok(
        "create_ade_key",
        json!({ "client": "Acme", "commonName": null, "out": out }),
    );
    assert_eq!(record["purpose"], "ade");
    assert!(record["recipient"]["serial"].is_string());
    let cert_pem = std::fs::read(&out).unwrap();
    assert!(cert_pem.starts_with(b"-----BEGIN CERTIFICATE-----"));
    let again = h.dir.path().join("again.pem");
    h.ok(
        "save_ade_certificate",
        json!({ "uid": record["uid"], "out": again }),
    );
    assert_eq!(std::fs::read(&again).unwrap(), cert_pem);
    assert_eq!(
        h.err(
            "save_ade_certificate",
            json!({ "uid": "nope", "out": again })
        ),
        "not_found"
    );

    // ABM encrypts the token to the uploaded certificate: it opens with the key kept here.
    let spec = ServerTokenSpec::new("CK_acme_new", Utc::now() + Duration::days(365));
    let token = h.file("Acme_Token_smime.p7m", &spec.build(&x509(&cert_pem)));
    let plan = h.ok(
        "plan_import",
        json!({ "args": import_args("Acme", &token) }),
    );
    assert_eq!(plan["decrypted"], true);
    assert_eq!(plan["after"]["identity"], "CK_acme_new");
    h.ok(
        "import_file",
        json!({ "args": import_args("Acme", &token), "confirmation": {} }),
    );
    assert_eq!(h.ok("list_keys", json!({ "client": "Acme" })), json!([]));
}

#[test]
fn an_existing_mdm_key_is_imported_with_its_password_and_can_be_removed() {
    let h = Harness::start();
    h.add_client("Acme");
    let key = KeyPair::shared(3);
    let cert = abm_certificate(key, "Acme MDM", 41);
    let p12 = h.file("mdm.p12", &key.pkcs12(&cert, "mdm-secret-pw"));
    h.forbid("mdm-secret-pw");
    h.forbid("not-the-pw");
    let args = |password: Value| json!({ "client": "Acme", "keyPath": p12, "password": password, "certPath": null });
    let (kind, message) = h.err_body("import_ade_key", args(json!("not-the-pw")));
    assert!(
        kind == "wrong_password" || kind == "key_required",
        "{kind}: {message}"
    );
    assert_eq!(h.err("import_ade_key", args(Value::Null)), "key_required");
    let record = h.ok("import_ade_key", args(json!("mdm-secret-pw")));
    assert_eq!(record["purpose"], "ade");
    assert!(record["subject"].as_str().unwrap().contains("Acme MDM"));

    let plain = h.file("mdm.key", &key.pkcs8_pem());
    let cert_file = h.file("mdm.pem", &pem(&cert));
    let second = h.ok(
        "import_ade_key",
        json!({ "client": "Acme", "keyPath": plain, "password": null, "certPath": cert_file }),
    );
    assert_eq!(
        h.ok("list_keys", json!({ "client": "Acme" }))
            .as_array()
            .unwrap()
            .len(),
        2
    );
    h.ok("remove_key", json!({ "uid": second["uid"] }));
    assert_eq!(
        h.err("remove_key", json!({ "uid": second["uid"] })),
        "not_found"
    );
    let garbage = h.file("junk.key", b"not a key");
    assert_eq!(
        h.err(
            "import_ade_key",
            json!({ "client": "Acme", "keyPath": garbage, "password": null, "certPath": null })
        ),
        "invalid_key"
    );
}
