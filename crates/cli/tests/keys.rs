//! The key commands through the built binary, with `openssl` as the other side: `csr`,
//! `vendor add`, `push-request`, `keypair`, `keys`, `cert-export`, `backup` and `restore`, on a
//! real SQLite file and the real OS keychain (run through `npm test`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command as StdCommand;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{Duration, TimeZone, Utc};
use openssl::pkcs12::Pkcs12;
use openssl::pkey::PKey;
use predicates::prelude::*;
use serde_json::Value;
use tokenkeeper_core::testing::{
    KeyPair, PushCertificateSpec, ServerTokenSpec, TestCa, pem, random_topic,
};

mod common;
use common::Env;

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn openssl(args: &[&str]) -> String {
    let out = StdCommand::new("openssl").args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "openssl {args:?}: {text}");
    text
}

/// The pending key's private half, read from the keychain the way the app stores it.
fn pending_key(env: &Env, client: &str) -> (String, PKey<openssl::pkey::Private>) {
    let (keys, _) = env.json(&["keys", "--client", client, "--json"]);
    let uid = keys[0]["uid"].as_str().unwrap().to_owned();
    let mut lookup = StdCommand::new("secret-tool");
    lookup.args(["lookup", "service"]);
    let service = env
        .service
        .clone()
        .or_else(|| std::env::var("TOKENKEEPER_KEYCHAIN_SERVICE").ok())
        .unwrap();
    lookup
        .arg(service)
        .args(["username", &format!("{uid}/key")]);
    let out = lookup.output().unwrap();
    assert!(out.status.success(), "secret-tool: {out:?}");
    (uid, PKey::private_key_from_pem(&out.stdout).unwrap())
}

#[test]
fn csr_without_vendor_explains_who_signs_and_verifies_with_openssl() {
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let csr = env.path("acme.csr");
    env.tk()
        .args([
            "csr",
            "--client",
            "acme",
            "--email",
            "it@acme.example",
            "--country",
            "us",
            "--out",
            p(&csr),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "private key is in the OS keychain",
        ))
        .stdout(predicate::str::contains("MDM vendor"))
        .stdout(predicate::str::contains("Intune"))
        .stdout(predicate::str::contains("without holding a key"))
        .stdout(predicate::str::contains("PRIVATE KEY").not());
    let verified = openssl(&["req", "-in", p(&csr), "-verify", "-noout", "-subject"]);
    assert!(verified.contains("verify OK"), "{verified}");
    assert!(verified.contains("CN = Acme"), "{verified}");
    assert!(verified.contains("C = US"), "{verified}");

    let (keys, code) = env.json(&["keys", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(keys.as_array().unwrap().len(), 1);
    assert_eq!(keys[0]["purpose"], "push_csr");
    assert_eq!(keys[0]["client"], "Acme");

    let (v, code) = env.json(&[
        "push-request",
        "--client",
        "Acme",
        "--out",
        p(&env.path("req.b64")),
        "--json",
    ]);
    assert_eq!(code, 3);
    assert_eq!(v["error"]["kind"], "vendor_required");

    // A blank common name means the client's name, as in the app (the core decides).
    let (v, code) = env.json(&[
        "csr",
        "--client",
        "Acme",
        "--email",
        "it@acme.example",
        "--country",
        "US",
        "--common-name",
        "  ",
        "--out",
        p(&env.path("blank.csr")),
        "--json",
    ]);
    assert_eq!(code, 0, "{v}");
    assert!(
        v["key"]["subject"].as_str().unwrap().contains("CN=Acme"),
        "{v}"
    );

    let (v, code) = env.json(&[
        "csr",
        "--client",
        "Acme",
        "--email",
        "not an address",
        "--country",
        "US",
        "--out",
        p(&env.path("x.csr")),
        "--json",
    ]);
    assert_eq!(code, 3);
    assert_eq!(v["error"]["kind"], "invalid_input");
}

#[test]
fn vendor_request_certificate_import_and_exports() {
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let csr = env.path("acme.csr");
    env.tk()
        .args([
            "csr",
            "--client",
            "Acme",
            "--email",
            "it@acme.example",
            "--country",
            "DE",
            "--out",
            p(&csr),
        ])
        .assert()
        .success();

    // A vendor .p12 (the vendor certificate issued by a stand-in for Apple's CA).
    let vendor_key = KeyPair::shared(1);
    let ca = TestCa::named("Test Apple WWDR");
    let vendor_cert = PushCertificateSpec::new("com.apple.mgmt.vendor-test").issue(&ca, vendor_key);
    let mut b = Pkcs12::builder();
    b.name("vendor").pkey(&vendor_key.pkey).cert(&vendor_cert);
    let p12 = env.file(
        "vendor.p12",
        &b.build2("vendor-pass").unwrap().to_der().unwrap(),
    );
    let root = env.file("apple-ca.pem", &ca.cert.to_pem().unwrap());
    let pw = env.file("pw.txt", b"vendor-pass\n");
    env.tk()
        .args([
            "vendor",
            "add",
            p(&p12),
            "--label",
            "Example",
            "--chain",
            p(&root),
        ])
        .args(["--password-file", p(&pw)])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Kept the MDM vendor identity \"Example\"",
        ));

    let request = env.path("acme_request.b64");
    env.tk()
        .args(["push-request", "--client", "Acme", "--out", p(&request)])
        .assert()
        .success()
        .stdout(predicate::str::contains("identity.apple.com"))
        .stderr(predicate::str::contains("warning").not());
    let xml =
        String::from_utf8(STANDARD.decode(std::fs::read(&request).unwrap()).unwrap()).unwrap();
    let value = |key: &str| {
        let after = xml.split(&format!("<key>{key}</key>")).nth(1).unwrap();
        let s = after.find("<string>").unwrap() + 8;
        let e = after.find("</string>").unwrap();
        after[s..e].to_owned()
    };
    let csr_der = env.file(
        "csr.der",
        &STANDARD.decode(value("PushCertRequestCSR")).unwrap(),
    );
    let sig = env.file(
        "sig.bin",
        &STANDARD.decode(value("PushCertSignature")).unwrap(),
    );
    assert!(value("PushCertCertificateChain").contains("BEGIN CERTIFICATE"));
    let vendor_pub = env.file(
        "vendor_pub.pem",
        &vendor_cert
            .public_key()
            .unwrap()
            .public_key_to_pem()
            .unwrap(),
    );
    let verified = openssl(&[
        "dgst",
        "-sha256",
        "-verify",
        p(&vendor_pub),
        "-signature",
        p(&sig),
        p(&csr_der),
    ]);
    assert!(verified.contains("Verified OK"), "{verified}");
    // The signed CSR is the one saved.
    let saved = openssl(&[
        "req",
        "-in",
        p(&csr),
        "-outform",
        "DER",
        "-out",
        p(&env.path("saved.der")),
    ]);
    let _ = saved;
    assert_eq!(
        std::fs::read(env.path("saved.der")).unwrap(),
        std::fs::read(&csr_der).unwrap()
    );

    // Apple issues the certificate for the CSR's key: import matches it to the key on record.
    let (uid, key) = pending_key(&env, "Acme");
    let topic = random_topic();
    let cert = env.file(
        "MDM_Acme.pem",
        &pem(
            &PushCertificateSpec::new(&topic).issue(&TestCa::new(), &KeyPair { pkey: key.clone() })
        ),
    );
    env.tk()
        .args(["import", p(&cert), "--client", "Acme"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Matched the private key TokenKeeper kept (key {uid})"
        )));

    let out = env.path("acme.p12");
    env.tk()
        .env("TK_EXPORT_PW", "export-pass")
        .args([
            "cert-export",
            "--client",
            "Acme",
            "--out",
            p(&out),
            "--password-env",
            "TK_EXPORT_PW",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("password-protected PKCS#12"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the export is readable by its owner only");
    }
    let opened = openssl(&[
        "pkcs12",
        "-in",
        p(&out),
        "-nodes",
        "-passin",
        "pass:export-pass",
    ]);
    let opened = env.file("opened.pem", opened.as_bytes());
    let cert_pub = openssl(&["x509", "-in", p(&opened), "-noout", "-pubkey"]);
    assert_eq!(cert_pub, openssl(&["pkey", "-in", p(&opened), "-pubout"]));
    assert_eq!(
        cert_pub.as_bytes(),
        key.public_key_to_pem().unwrap().as_slice()
    );

    let bundle = env.path("acme_bundle.pem");
    env.tk()
        .args([
            "cert-export",
            "--client",
            "Acme",
            "--format",
            "pem",
            "--out",
            p(&bundle),
        ])
        .assert()
        .success();
    assert_eq!(
        openssl(&["x509", "-in", p(&bundle), "-noout", "-pubkey"]),
        openssl(&["pkey", "-in", p(&bundle), "-pubout"])
    );

    // Private key material went only to the two exports.
    let db = std::fs::read(env.db()).unwrap();
    let d = key.rsa().unwrap().d().to_vec();
    assert!(!db.windows(d.len()).any(|w| w == d.as_slice()));
}

#[test]
fn tracked_only_certificate_says_so_and_has_nothing_to_export() {
    let env = Env::new();
    env.tk()
        .args(["client", "add", "Hosted"])
        .assert()
        .success();
    let cert = env.file(
        "hosted.pem",
        &pem(&PushCertificateSpec::new(&random_topic()).issue(&TestCa::new(), KeyPair::shared(2))),
    );
    env.tk()
        .args(["import", p(&cert), "--client", "Hosted"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Tracked only"));
    let out = env
        .tk()
        .args([
            "cert-export",
            "--client",
            "Hosted",
            "--format",
            "pem",
            "--out",
        ])
        .arg(env.path("x.pem"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tracked only"));
    assert!(!env.path("x.pem").exists());
}

#[test]
fn keypair_round_trip_with_openssl_smime() {
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let cert = env.path("acme_abm.pem");
    env.tk()
        .args(["keypair", "new", "--client", "Acme", "--out", p(&cert)])
        .assert()
        .success()
        .stdout(predicate::str::contains("Upload public key"));
    let inner = env.file(
        "inner.txt",
        &ServerTokenSpec::new("CK_cli", Utc.with_ymd_and_hms(2027, 5, 6, 7, 8, 9).unwrap())
            .message(),
    );
    let token = env.path("Acme_Token_smime.p7m");
    openssl(&[
        "smime",
        "-encrypt",
        "-aes128",
        "-binary",
        "-in",
        p(&inner),
        "-out",
        p(&token),
        p(&cert),
    ]);
    let (v, code) = env.json(&["import", p(&token), "--client", "Acme", "--json"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["decrypted"], true);
    assert_eq!(v["after"]["expires_at"], "2027-05-06T07:08:09Z");
    assert!(v["attaches_key"].is_string());
    let (keys, _) = env.json(&["keys", "--json"]);
    assert_eq!(keys, serde_json::json!([]));

    // An existing MDM's key, password-protected.
    let pair = KeyPair::shared(0);
    let existing = tokenkeeper_core::testing::abm_certificate(pair, "Old MDM", 77);
    let key = env.file(
        "old.key",
        &pair
            .pkey
            .private_key_to_pem_pkcs8_passphrase(openssl::symm::Cipher::aes_256_cbc(), b"old-pass")
            .unwrap(),
    );
    let crt = env.file("old.crt", &existing.to_pem().unwrap());
    env.tk()
        .args(["client", "add", "Globex"])
        .assert()
        .success();
    env.tk()
        .args([
            "keypair",
            "import",
            p(&key),
            "--client",
            "Globex",
            "--cert",
            p(&crt),
        ])
        .write_stdin("old-pass\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Kept the ADE key of Globex"));
    let token = env.file(
        "globex_smime.p7m",
        &ServerTokenSpec::new("CK_globex", Utc::now() + Duration::days(90)).build(&existing),
    );
    let (v, code) = env.json(&["import", p(&token), "--client", "Globex", "--json"]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["decrypted"], true);
}

#[test]
fn backup_and_restore_on_another_machine() {
    let env = Env::new();
    env.tk().args(["client", "add", "Acme"]).assert().success();
    env.tk()
        .args(["keypair", "new", "--client", "Acme", "--out"])
        .arg(env.path("abm.pem"))
        .assert()
        .success();
    let token = env.file(
        "t_smime.p7m",
        &ServerTokenSpec::new("CK_b", Utc::now() + Duration::days(200)).build(
            &openssl::x509::X509::from_pem(&std::fs::read(env.path("abm.pem")).unwrap()).unwrap(),
        ),
    );
    env.tk()
        .args(["import", p(&token), "--client", "Acme"])
        .assert()
        .success();
    env.tk()
        .args([
            "csr",
            "--client",
            "Acme",
            "--email",
            "it@acme.example",
            "--country",
            "US",
            "--out",
        ])
        .arg(env.path("acme.csr"))
        .assert()
        .success();
    let backup = env.path("tokenkeeper.backup");
    let (v, code) = env.json(&[
        "backup",
        "--out",
        p(&backup),
        "--passphrase-env",
        "TK_PASS",
        "--json",
    ]);
    // The variable is not set: refused, nothing written.
    assert_eq!(code, 3, "{v}");
    assert!(!backup.exists());
    let out = env
        .tk()
        .env("TK_PASS", "a long backup passphrase")
        .args([
            "backup",
            "--out",
            p(&backup),
            "--passphrase-env",
            "TK_PASS",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["contents"]["credentials"], 1);
    assert_eq!(v["contents"]["keys"], 1);

    let other = Env::other_machine("cli-restore");
    let (wrong, code) = {
        let out = other
            .tk()
            .env("TK_PASS", "not the passphrase")
            .args([
                "restore",
                p(&backup),
                "--passphrase-env",
                "TK_PASS",
                "--json",
            ])
            .output()
            .unwrap();
        (
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
            out.status.code().unwrap(),
        )
    };
    assert_eq!(code, 3);
    assert_eq!(wrong["error"]["kind"], "wrong_password");
    let (status, _) = other.json(&["status", "--json"]);
    assert_eq!(status, serde_json::json!([]), "nothing restored");

    other
        .tk()
        .args(["restore", p(&backup)])
        .write_stdin("a long backup passphrase\n")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Restored 1 client(s), 1 credential(s), 1 pending key(s)",
        ));
    let (a, _) = env.json(&["status", "--json"]);
    let (b, _) = other.json(&["status", "--json"]);
    assert_eq!(a, b);
    let (ka, _) = env.json(&["keys", "--json"]);
    let (kb, _) = other.json(&["keys", "--json"]);
    assert_eq!(ka, kb);
    other.tk().arg("verify").assert().success();

    let out = other
        .tk()
        .args(["restore", p(&backup), "--json"])
        .write_stdin("a long backup passphrase\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "not_empty");
}
