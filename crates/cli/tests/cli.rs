//! The command-line contract, through the built binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{Duration, SecondsFormat, Utc};
use predicates::prelude::*;
use serde_json::Value;
use tokenkeeper_core::testing::{
    CONTENT_SECRET_MARKER, ContentTokenSpec, KeyPair, PushCertificateSpec, SECRET_MARKERS,
    ServerTokenSpec, TestCa, abm_certificate, pem,
};

fn tokenkeeper() -> Command {
    Command::cargo_bin("tokenkeeper").unwrap()
}

fn external(rel: &str) -> PathBuf {
    tokenkeeper_core::testing::external_fixture(rel)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn inspect_push_certificate_json_and_key_match() {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyPair::shared(0);
    let topic = "com.apple.mgmt.External.2f0e7f47-8f2a-4f7e-9d9a-0c3d0a1b2c3d";
    let expiry = (Utc::now() + Duration::days(100)).with_nanosecond_zero();
    let cert = PushCertificateSpec::new(topic)
        .expiring(expiry)
        .issue(&TestCa::new(), key);
    // Named like something else entirely: content decides.
    let file = write(dir.path(), "renamed.vpptoken", &pem(&cert));
    let v = json_of(tokenkeeper().arg("inspect").arg(&file).arg("--json"));
    assert_eq!(v["kind"], "push_certificate");
    assert_eq!(
        v["expires_at"],
        expiry.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    let p = &v["push_certificate"];
    assert_eq!(p["topic"], topic);
    assert_eq!(p["subject_cn"], "APSP:2f0e7f47-8f2a-4f7e-9d9a-0c3d0a1b2c3d");
    assert_eq!(
        p["issuer_cn"],
        "Apple Application Integration 2 Certification Authority"
    );
    assert_eq!(p["serial"], "5eedc0de");
    assert!(p["not_before"].is_string());
    assert_eq!(p["key_matches"], Value::Null);

    let key_file = write(dir.path(), "key.pem", &key.pkcs8_pem());
    let v = json_of(
        tokenkeeper()
            .args(["inspect", "--json", "--key"])
            .arg(&key_file)
            .arg(&file),
    );
    assert_eq!(v["push_certificate"]["key_matches"], true);
    let other = write(dir.path(), "other.pem", &KeyPair::shared(1).pkcs1_pem());
    let v = json_of(
        tokenkeeper()
            .args(["inspect", "--json", "--key"])
            .arg(&other)
            .arg(&file),
    );
    assert_eq!(v["push_certificate"]["key_matches"], false);

    tokenkeeper()
        .arg("inspect")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("APNs push certificate"))
        .stdout(predicate::str::contains(topic))
        .stdout(
            predicate::str::contains("99 days left").or(predicate::str::contains("100 days left")),
        )
        .stdout(predicate::str::contains("Active"));
}

trait NoNanos {
    fn with_nanosecond_zero(self) -> Self;
}
impl NoNanos for chrono::DateTime<Utc> {
    fn with_nanosecond_zero(self) -> Self {
        chrono::DateTime::from_timestamp(self.timestamp(), 0).unwrap()
    }
}

#[test]
fn inspect_real_server_token_with_and_without_key() {
    let token = external("petarov-apple-mdm-clients/apple-mdm-client-tests-1-server-token.p7m");
    let key = external("petarov-apple-mdm-clients/apple-mdm-client-tests-1.pem");
    let v = json_of(tokenkeeper().arg("inspect").arg(&token).arg("--json"));
    assert_eq!(v["kind"], "server_token");
    assert_eq!(v["expires_at"], Value::Null);
    assert_eq!(v["server_token"]["decrypted"], false);
    assert_eq!(v["server_token"]["cipher"], "aes-128-cbc");
    assert_eq!(v["server_token"]["recipient"]["serial"], "70feddc7d5afa393");
    assert!(v["server_token"].get("consumer_key").is_none());

    let out = tokenkeeper()
        .arg("inspect")
        .arg(&token)
        .arg("--json")
        .arg("--key")
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["expires_at"], "2026-01-17T11:02:21Z");
    assert_eq!(v["server_token"]["decrypted"], true);
    assert!(
        v["server_token"]["consumer_key"]
            .as_str()
            .unwrap()
            .starts_with("CK_75b2eb55")
    );
    for secret in ["CS_810bb5ab", "AT_O8474885631", "AS_97b94402"] {
        assert!(!text.contains(secret));
    }
    tokenkeeper()
        .arg("inspect")
        .arg(&token)
        .arg("--key")
        .arg(&key)
        .assert()
        .success()
        .stdout(predicate::str::contains("ADE server token (decrypted)"))
        .stdout(predicate::str::contains("17 Jan 2026"))
        .stdout(
            predicate::str::contains("State")
                .and(predicate::str::contains("Lapsed").or(predicate::str::contains("Expired"))),
        );
}

#[test]
fn inspect_minted_token_never_prints_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyPair::shared(2);
    let cert = abm_certificate(key, "CLI server", 11);
    let token = write(
        dir.path(),
        "Server_Token_smime.p7m",
        &ServerTokenSpec::new("CK_cli", Utc::now() + Duration::days(200)).build(&cert),
    );
    let vpp = write(
        dir.path(),
        "sToken_for_Main.vpptoken",
        &ContentTokenSpec::new("Main Street", Utc::now() + Duration::days(5)).build(),
    );
    let key_file = write(dir.path(), "key.der", &key.pkcs1_der());
    let mut all = String::new();
    for args in [vec!["--json"], vec![]] {
        for file in [&token, &vpp] {
            let out = tokenkeeper()
                .arg("inspect")
                .arg(file)
                .arg("--key")
                .arg(&key_file)
                .args(&args)
                .output()
                .unwrap();
            assert!(out.status.success());
            all.push_str(&String::from_utf8_lossy(&out.stdout));
            all.push_str(&String::from_utf8_lossy(&out.stderr));
        }
    }
    assert!(
        all.contains("CK_cli") && all.contains("Main Street") && all.contains("Renewal Required")
    );
    for secret in SECRET_MARKERS.iter().chain([&CONTENT_SECRET_MARKER]) {
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
    }
}

#[test]
fn inspect_content_token_json() {
    let v = json_of(
        tokenkeeper()
            .arg("inspect")
            .arg(external(
                "petarov-apple-mdm-clients/apple-mdm-client-tests-stoken-1.stoken",
            ))
            .arg("--json"),
    );
    assert_eq!(v["kind"], "content_token");
    assert_eq!(v["expires_at"], "2020-12-31T11:57:19Z");
    assert_eq!(v["content_token"]["org_name"], "blabla GmbH");
    assert_eq!(v["content_token"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v.as_object().unwrap().len(), 3);
}

#[test]
fn failures_exit_non_zero_with_kind_and_message() {
    let dir = tempfile::tempdir().unwrap();
    let png = write(dir.path(), "logo.p7m", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let out = tokenkeeper()
        .arg("inspect")
        .arg(&png)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "unrecognized_file");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("PNG image")
    );
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: this is a PNG image"));

    tokenkeeper()
        .arg("inspect")
        .arg(external("micromdm/mock_push_cert_wrong_uid_prefix.pem"))
        .assert()
        .code(3)
        .stdout("")
        .stderr(
            predicate::str::contains("error: this is a certificate")
                .and(predicate::str::contains("com.apple.mgmt.")),
        );

    let token = external("petarov-apple-mdm-clients/apple-mdm-client-tests-1-server-token.p7m");
    let wrong = write(dir.path(), "wrong.pem", &KeyPair::shared(0).pkcs8_pem());
    let v = json_of(
        tokenkeeper()
            .arg("inspect")
            .arg(&token)
            .arg("--key")
            .arg(&wrong)
            .arg("--json"),
    );
    assert_eq!(v["error"]["kind"], "wrong_key");

    let v = json_of(
        tokenkeeper()
            .arg("inspect")
            .arg(dir.path().join("missing.pem"))
            .arg("--json"),
    );
    assert_eq!(v["error"]["kind"], "io");

    let big = write(dir.path(), "big.pem", &vec![b'A'; 2 * 1024 * 1024]);
    let v = json_of(tokenkeeper().arg("inspect").arg(&big).arg("--json"));
    assert_eq!(v["error"]["kind"], "too_large");

    tokenkeeper().arg("inspect").assert().code(64);
    tokenkeeper()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("inspect"));
}

/// `inspect` and `import` of something that is not a regular file answer at once with kind `io`
/// and say what the path is: a FIFO without a writer used to hang forever, `/dev/zero` used to
/// grow the CLI's memory without bound.
#[cfg(unix)]
#[test]
fn special_files_are_refused_promptly() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("token_smime.p7m");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let cases: [(&Path, &str); 3] = [
        (&fifo, "FIFO"),
        (Path::new("/dev/zero"), "device"),
        (Path::new("/dev/urandom"), "device"),
    ];
    for (path, what) in cases {
        let out = tokenkeeper()
            .arg("inspect")
            .arg(path)
            .arg("--json")
            .timeout(std::time::Duration::from_secs(30))
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e} (timed out?)", path.display()));
        assert_eq!(v["error"]["kind"], "io", "{v}");
        let message = v["error"]["message"].as_str().unwrap();
        assert!(message.contains(what), "{message}");
        assert!(message.contains("not a file"), "{message}");
    }
    // `--key` goes through the same reader.
    let cert = write(dir.path(), "a.pem", b"-----BEGIN CERTIFICATE-----\n");
    let v = json_of(
        tokenkeeper()
            .arg("inspect")
            .arg(&cert)
            .arg("--key")
            .arg(&fifo)
            .arg("--json")
            .timeout(std::time::Duration::from_secs(30)),
    );
    assert_eq!(v["error"]["kind"], "io", "{v}");
}
