//! Writes the fuzz targets' seed corpora (`fuzz/corpus/<target>/`) from fixtures minted in code.
//! The public samples of `../shared/fixtures/external/` are never copied into the project:
//! `scripts/fuzz.sh` adds them as extra seeds by path when it runs.
//! `cargo run -p tokenkeeper-core --features test-support --example fuzz_seeds -- fuzz`
//! Test data only: the key written to `fuzz/fuzz-key.pem` is a throwaway minted here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{Duration, TimeZone, Utc};
use secrecy::SecretString;
use tokenkeeper_core::db::Db;
use tokenkeeper_core::testing::{
    ContentTokenSpec, Encoding, KeyPair, Layout, PushCertificateSpec, ServerTokenSpec, TestCa,
    abm_certificate, der, pem,
};
use tokenkeeper_core::token::ContentCipher;
use tokenkeeper_core::vault::{Confirmation, ImportRequest};
use tokenkeeper_core::{MemoryStore, Portal, Vault};

/// Must match `fuzz/src/lib.rs`.
const BACKUP_PASSPHRASE: &str = "fuzzing passphrase";

struct Corpus {
    root: PathBuf,
}

impl Corpus {
    fn put(&self, target: &str, name: &str, bytes: &[u8]) {
        let dir = self.root.join("corpus").join(target);
        std::fs::create_dir_all(&dir).expect("corpus dir");
        std::fs::write(dir.join(name), bytes).expect("seed");
    }

    /// The same seed for several targets.
    fn put_all(&self, targets: &[&str], name: &str, bytes: &[u8]) {
        for target in targets {
            self.put(target, name, bytes);
        }
    }
}

fn key(root: &Path) -> KeyPair {
    let path = root.join("fuzz-key.pem");
    if let Ok(pem) = std::fs::read(&path) {
        return KeyPair::from_pem(&pem);
    }
    let key = KeyPair::generate();
    std::fs::write(&path, key.pkcs1_pem()).expect("fuzz key");
    key
}

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fuzz".to_owned()));
    let corpus = Corpus { root: root.clone() };
    let key = key(&root);
    let expiry = Utc.with_ymd_and_hms(2027, 3, 4, 10, 0, 0).single().unwrap();

    // Push certificates: PEM, DER, bundles, truncated.
    let push =
        PushCertificateSpec::new("com.apple.mgmt.External.2f0e7f47-8f2a-4f7e-9d9a-0c3d0a1b2c3d")
            .expiring(expiry)
            .issue(&TestCa::new(), &key);
    let cert_targets = ["push_certificate", "read", "pem"];
    corpus.put_all(&cert_targets, "push.pem", &pem(&push));
    corpus.put_all(
        &["push_certificate", "read", "ber"],
        "push.der",
        &der(&push),
    );
    corpus.put_all(
        &cert_targets,
        "bundle-pkcs1.pem",
        &[pem(&push), key.pkcs1_pem()].concat(),
    );
    corpus.put_all(
        &cert_targets,
        "bundle-pkcs8-glued.pem",
        &[key.pkcs8_pem(), pem(&push)].concat(),
    );
    let whole = pem(&push);
    corpus.put_all(
        &cert_targets,
        "push-truncated.pem",
        &whole[..whole.len() / 2],
    );
    corpus.put_all(&["pem", "read"], "key-pkcs1.pem", &key.pkcs1_pem());
    corpus.put_all(&["read", "ber"], "key-pkcs8.der", &key.pkcs8_der());
    corpus.put(
        "pem",
        "legacy-encrypted.pem",
        b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nAAEC\n-----END RSA PRIVATE KEY-----\n",
    );
    corpus.put(
        "pem",
        "unterminated.pem",
        "-----BEGIN CERTIFICATE-----\n".repeat(8).as_bytes(),
    );

    // Server tokens, encrypted to the fuzz key: every layout, encoding and cipher.
    let abm = abm_certificate(&key, "Fuzz MDM", 77);
    let token_targets = ["server_token", "smime", "read"];
    for (i, layout) in [Layout::Apple, Layout::OpenSsl, Layout::Raw, Layout::Pem]
        .into_iter()
        .enumerate()
    {
        for (j, encoding) in [Encoding::Indefinite, Encoding::Definite]
            .into_iter()
            .enumerate()
        {
            let mut spec = ServerTokenSpec::new("CK_fuzz", expiry);
            spec.layout = layout;
            spec.encoding = encoding;
            spec.crlf = i == 1;
            spec.cipher = ContentCipher::ALL[(i + j) % ContentCipher::ALL.len()];
            let bytes = spec.build(&abm);
            corpus.put_all(&token_targets, &format!("token-{i}-{j}.p7m"), &bytes);
            if matches!(layout, Layout::Raw) {
                corpus.put("ber", &format!("envelope-{j}.ber"), &bytes);
                corpus.put_all(
                    &token_targets,
                    &format!("token-{i}-{j}-truncated.p7m"),
                    &bytes[..bytes.len() * 2 / 3],
                );
            }
        }
    }
    let apple_token = ServerTokenSpec::new("CK_fuzz", expiry).build(&abm);
    corpus.put_all(
        &token_targets,
        "token-apple-truncated.p7m",
        &apple_token[..apple_token.len() / 2],
    );
    corpus.put(
        "server_token",
        "message.txt",
        b"Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\n{\"consumer_key\":\"CK_1\",\"consumer_secret\":\"CS_2\",\"access_token\":\"AT_3\",\"access_secret\":\"AS_4\",\"access_token_expiry\":\"2026-01-17T11:02:21Z\"}\n-----END MESSAGE-----\n",
    );

    // Content tokens.
    let content_targets = ["content_token", "read"];
    corpus.put_all(
        &content_targets,
        "vpp.vpptoken",
        &ContentTokenSpec::new("Acme Inc", expiry).build(),
    );
    let mut url_safe = ContentTokenSpec::new("Ünïcode Schule ✓", expiry);
    url_safe.url_safe = true;
    url_safe.trailing = "\r\n".to_owned();
    url_safe.exp_date = "2027-03-04T02:00:00-0800".to_owned();
    corpus.put_all(&content_targets, "vpp-url-safe.vpptoken", &url_safe.build());
    corpus.put(
        "content_token",
        "json.txt",
        br#"{"token":"x","expDate":"2027-03-04T10:00:00+02:00","orgName":"A","orgName":"B"}"#,
    );

    // Apple's answers: two bytes of HTTP status, then the body.
    let answers: [(&str, u16, &[u8]); 8] = [
        ("account", 200, br#"{"server_name":"dev","server_uuid":"00000000-0000-0000-0000-000000000000","admin_id":"admin@example.com","facilitator_id":"admin@example.com","org_name":"Example Org","org_email":"it@example.com","org_phone":"555-0100","org_address":"1 Main St"}"#),
        ("session", 200, br#"{"auth_session_token":"abc"}"#),
        ("config", 200, br#"{"locationName":"Main St","uId":"2049025000431439","tokenExpirationDate":"2030-11-08T22:33:22+0000","countryISO2ACode":"US","mdmInfo":{"id":"x","name":"y"}}"#),
        ("vpp-error", 200, br#"{"errorNumber":9621,"errorMessage":"Expired"}"#),
        ("terms", 403, b"T_C_NOT_SIGNED"),
        ("oauth", 400, b"\"oauth_problem=timestamp_refused\""),
        ("busy", 503, b"Thu, 01 Jan 2026 00:05:00 GMT"),
        ("stored", 200, br#"{"consumer_key":"CK_1","consumer_secret":"CS_2","access_token":"AT_3","access_secret":"AS_4"}"#),
    ];
    for (name, status, body) in answers {
        corpus.put(
            "apple",
            &format!("{name}.bin"),
            &[&status.to_be_bytes()[..], body].concat(),
        );
    }

    backups(&corpus, &key, expiry);
    println!("seeds written under {}", root.join("corpus").display());
}

/// A real backup of a small vault: its decrypted archive (mode byte 0) and the whole file
/// re-encrypted with a scrypt work factor of 2 (mode byte 1), so the fuzzer stays fast.
fn backups(corpus: &Corpus, key: &KeyPair, expiry: chrono::DateTime<Utc>) {
    let now = Utc::now();
    let mut vault = Vault::new(
        Db::open_in_memory().expect("db"),
        Box::new(MemoryStore::new()),
    );
    vault
        .add_client("Acme", Portal::Business, "", now)
        .expect("client");
    let abm = abm_certificate(key, "Fuzz MDM", 78);
    for (bytes, with_key) in [
        (ContentTokenSpec::new("Acme Inc", expiry).build(), false),
        (
            ServerTokenSpec::new("CK_backup", expiry - Duration::days(1)).build(&abm),
            true,
        ),
    ] {
        let req = ImportRequest {
            client: "Acme".to_owned(),
            bytes,
            key: with_key.then(|| zeroize::Zeroizing::new(key.pkcs1_pem())),
            ..ImportRequest::default()
        };
        let confirm = Confirmation {
            confirmed: true,
            accept_new_identity: true,
        };
        vault.import(&req, confirm, now).expect("import");
    }
    let passphrase = SecretString::from(BACKUP_PASSPHRASE);
    let (file, _) = vault.backup(&passphrase, now).expect("backup");
    let identity = age::scrypt::Identity::new(passphrase.clone());
    let mut plain = Vec::new();
    age::Decryptor::new_buffered(&file[..])
        .expect("age header")
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("decrypt")
        .read_to_end(&mut plain)
        .expect("read");
    corpus.put("backup", "archive.tar", &[&[0u8][..], &plain].concat());
    let mut recipient = age::scrypt::Recipient::new(passphrase);
    recipient.set_work_factor(2);
    let mut light = Vec::new();
    let mut writer =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .expect("encryptor")
            .wrap_output(&mut light)
            .expect("wrap");
    writer.write_all(&plain).expect("write");
    writer.finish().expect("finish");
    corpus.put("backup", "backup.age", &[&[1u8][..], &light].concat());
    corpus.put(
        "backup",
        "not-age.bin",
        b"\x01age-encryption.org/v1\n-> scrypt AAAA 40\n",
    );
}
