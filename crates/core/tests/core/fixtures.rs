//! Minted fixtures in every layout, encoding, cipher and key format the core reads, including
//! files written by the `openssl` command as an independent encoder.

use std::process::Command;

use chrono::{Duration, TimeZone, Utc};
use secrecy::ExposeSecret;
use tokenkeeper_core::testing::{
    ContentTokenSpec, Encoding, KeyPair, Layout, PushCertificateSpec, ServerTokenSpec, TestCa,
    UidType, abm_certificate, der, pem, random_topic,
};
use tokenkeeper_core::token::ContentCipher;
use tokenkeeper_core::{Credential, PrivateKey, read};

fn server_token(cred: Credential) -> tokenkeeper_core::token::ServerToken {
    match cred {
        Credential::ServerToken(t) => t,
        other => panic!("expected a server token, got {:?}", other.kind()),
    }
}

fn push(cred: Credential) -> tokenkeeper_core::token::PushCertificate {
    match cred {
        Credential::PushCertificate(c) => c,
        other => panic!("expected a push certificate, got {:?}", other.kind()),
    }
}

#[test]
fn server_tokens_in_every_layout_encoding_cipher_and_line_ending() {
    let key = KeyPair::shared(0);
    let cert = abm_certificate(key, "MDM server A", 0x8000_0000_0000_0001);
    let expiry = Utc.with_ymd_and_hms(2027, 6, 1, 9, 30, 0).unwrap();
    let mut seen = 0;
    for cipher in ContentCipher::ALL {
        for encoding in [Encoding::Indefinite, Encoding::Definite] {
            for layout in [Layout::Apple, Layout::OpenSsl, Layout::Raw, Layout::Pem] {
                for crlf in [false, true] {
                    let mut spec = ServerTokenSpec::new("CK_minted_a", expiry);
                    spec.cipher = cipher;
                    spec.encoding = encoding;
                    spec.layout = layout;
                    spec.crlf = crlf;
                    let bytes = spec.build(&cert);
                    let what = format!("{cipher:?} {encoding:?} {layout:?} crlf={crlf}");
                    let t = server_token(read(&bytes, Some(&key.private_key())).expect(&what));
                    assert_eq!(t.cipher, cipher, "{what}");
                    assert_eq!(t.consumer_key.as_deref(), Some("CK_minted_a"), "{what}");
                    assert_eq!(t.contents.as_ref().unwrap().expires_at, expiry, "{what}");
                    assert_eq!(t.recipient.serial, "8000000000000001", "{what}");
                    assert_eq!(
                        t.recipient.issuer,
                        "C=DE, OU=TokenKeeper tests, CN=MDM server A"
                    );
                    // Without the key: recipient only.
                    let t = server_token(read(&bytes, None).expect(&what));
                    assert!(!t.decrypted && t.contents.is_none());
                    seen += 1;
                }
            }
        }
    }
    assert_eq!(seen, 64);
}

/// Files written by the `openssl` command itself, in its own S/MIME layout and as streamed BER.
#[test]
fn server_tokens_written_by_the_openssl_command() {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyPair::shared(1);
    let cert = abm_certificate(key, "OpenSSL side", 42);
    let expiry = Utc.with_ymd_and_hms(2027, 1, 17, 11, 2, 21).unwrap();
    let inner = dir.path().join("inner.txt");
    std::fs::write(&inner, ServerTokenSpec::new("CK_openssl", expiry).message()).unwrap();
    let cert_path = dir.path().join("cert.pem");
    std::fs::write(&cert_path, pem(&cert)).unwrap();
    for (cipher_flag, cipher) in [
        ("-des3", ContentCipher::DesEde3Cbc),
        ("-aes128", ContentCipher::Aes128Cbc),
        ("-aes192", ContentCipher::Aes192Cbc),
        ("-aes256", ContentCipher::Aes256Cbc),
    ] {
        for outform in [
            &["-outform", "SMIME"][..],
            &["-binary", "-stream", "-outform", "DER"][..],
        ] {
            let out = dir.path().join("token.p7m");
            let status = Command::new("openssl")
                .args(["smime", "-encrypt", cipher_flag])
                .args(outform)
                .arg("-in")
                .arg(&inner)
                .arg("-out")
                .arg(&out)
                .arg(&cert_path)
                .status()
                .expect("the openssl command is installed");
            assert!(status.success());
            let bytes = std::fs::read(&out).unwrap();
            let t = server_token(read(&bytes, Some(&key.private_key())).unwrap());
            assert_eq!(t.cipher, cipher);
            assert_eq!(t.consumer_key.as_deref(), Some("CK_openssl"));
            assert_eq!(t.contents.unwrap().expires_at, expiry);
            assert_eq!(t.recipient.serial, "2a");
        }
    }
}

/// And the other way round: what the builders mint, OpenSSL decrypts.
#[test]
fn minted_indefinite_tokens_decrypt_with_the_openssl_command() {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyPair::shared(0);
    let cert = abm_certificate(key, "Cross-check", 7);
    let spec = ServerTokenSpec::new("CK_cross", Utc::now());
    let path = dir.path().join("t.p7m");
    std::fs::write(&path, spec.build(&cert)).unwrap();
    let key_path = dir.path().join("k.pem");
    std::fs::write(&key_path, key.pkcs1_pem()).unwrap();
    let out = Command::new("openssl")
        .args(["smime", "-decrypt", "-in"])
        .arg(&path)
        .arg("-inkey")
        .arg(&key_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, spec.message());
}

#[test]
fn every_private_key_format_decrypts() {
    let key = KeyPair::shared(2);
    let cert = abm_certificate(key, "Key formats", 9);
    let bytes = ServerTokenSpec::new("CK_keys", Utc::now()).build(&cert);
    let bundle = [pem(&cert), key.pkcs8_pem()].concat();
    for (what, key_bytes) in [
        ("pkcs1 pem", key.pkcs1_pem()),
        ("pkcs8 pem", key.pkcs8_pem()),
        ("pkcs1 der", key.pkcs1_der()),
        ("pkcs8 der", key.pkcs8_der()),
        ("bundle", bundle),
    ] {
        let k = PrivateKey::from_bytes(&key_bytes).expect(what);
        assert!(
            server_token(read(&bytes, Some(&k)).expect(what)).decrypted,
            "{what}"
        );
    }
}

#[test]
fn unsupported_algorithms_are_named() {
    let key = KeyPair::shared(0);
    let cert = abm_certificate(key, "Algorithms", 3);
    let mut spec = ServerTokenSpec::new("CK_alg", Utc::now());
    spec.cipher_oid = Some("2.16.840.1.101.3.4.1.46");
    let e = read(&spec.build(&cert), Some(&key.private_key())).unwrap_err();
    assert_eq!(e.kind(), "unsupported_algorithm");
    assert!(e.to_string().contains("AES-GCM"), "{e}");
    let mut spec = ServerTokenSpec::new("CK_alg", Utc::now());
    spec.key_transport_oid = Some("1.2.840.113549.1.1.7");
    let e = read(&spec.build(&cert), None).unwrap_err();
    assert_eq!(e.kind(), "unsupported_algorithm");
    assert!(e.to_string().contains("RSAES-OAEP"), "{e}");
}

#[test]
fn push_certificates_in_pem_der_and_bundles() {
    let ca = TestCa::new();
    let key = KeyPair::shared(1);
    let other = KeyPair::shared(2);
    let topic = random_topic();
    let expiry = Utc.with_ymd_and_hms(2027, 3, 4, 0, 0, 0).unwrap();
    let cert = PushCertificateSpec::new(&topic)
        .expiring(expiry)
        .issue(&ca, key);
    let cert_pem = pem(&cert);
    let glued = [
        String::from_utf8(cert_pem.clone())
            .unwrap()
            .trim_end()
            .to_owned(),
        String::from_utf8(key.pkcs1_pem()).unwrap(),
    ]
    .concat();
    assert!(glued.contains("-----END CERTIFICATE----------BEGIN RSA PRIVATE KEY-----"));
    let key_first = [key.pkcs8_pem(), cert_pem.clone()].concat();
    let with_chain = [cert_pem.clone(), pem(&ca.cert)].concat();
    let crlf = String::from_utf8(cert_pem.clone())
        .unwrap()
        .replace('\n', "\r\n");
    for (what, bytes, key_matches) in [
        ("pem", cert_pem.clone(), None),
        ("der", der(&cert), None),
        ("crlf", crlf.into_bytes(), None),
        ("chain", with_chain, None),
        ("glued bundle", glued.into_bytes(), Some(true)),
        ("key first", key_first, Some(true)),
    ] {
        let c = push(read(&bytes, None).expect(what));
        assert_eq!(c.topic.as_str(), topic, "{what}");
        assert_eq!(c.not_after, expiry, "{what}");
        assert_eq!(c.not_before, expiry - Duration::days(365), "{what}");
        assert_eq!(c.serial, "5eedc0de", "{what}");
        assert_eq!(
            c.issuer_cn,
            "Apple Application Integration 2 Certification Authority"
        );
        assert_eq!(
            c.subject_cn,
            format!("APSP:{}", topic.rsplit('.').next().unwrap())
        );
        assert_eq!(c.key_matches, key_matches, "{what}");
    }
    // A separate key, in every format: matches or not.
    for k in [
        key.pkcs1_pem(),
        key.pkcs8_pem(),
        key.pkcs1_der(),
        key.pkcs8_der(),
    ] {
        let k = PrivateKey::from_bytes(&k).unwrap();
        assert_eq!(
            push(read(&cert_pem, Some(&k)).unwrap()).key_matches,
            Some(true)
        );
    }
    let wrong = other.private_key();
    assert_eq!(
        push(read(&cert_pem, Some(&wrong)).unwrap()).key_matches,
        Some(false)
    );
}

#[test]
fn uid_string_types_all_read() {
    let ca = TestCa::new();
    for ty in [UidType::Utf8, UidType::Printable, UidType::Ia5] {
        let topic = random_topic();
        let mut spec = PushCertificateSpec::new(&topic);
        spec.uid_type = ty;
        let c = push(read(&pem(&spec.issue(&ca, KeyPair::shared(0))), None).unwrap());
        assert_eq!(c.topic.as_str(), topic, "{ty:?}");
    }
}

#[test]
fn push_certificate_without_topic_is_refused_clearly() {
    let ca = TestCa::new();
    let mut spec = PushCertificateSpec::new("x");
    spec.uid = None;
    let e = read(&pem(&spec.issue(&ca, KeyPair::shared(0))), None).unwrap_err();
    assert_eq!(e.kind(), "not_push_certificate");
    spec.uid = Some("com.apple.mgmt.".to_owned());
    let e = read(&pem(&spec.issue(&ca, KeyPair::shared(0))), None).unwrap_err();
    assert_eq!(e.kind(), "not_push_certificate");
}

#[test]
fn content_tokens_in_every_encoding_and_offset() {
    let expected = Utc.with_ymd_and_hms(2027, 3, 4, 10, 0, 0).unwrap();
    for (exp_date, url_safe, trailing) in [
        ("2027-03-04T10:00:00Z", false, ""),
        ("2027-03-04T02:00:00-0800", true, "\n"),
        ("2027-03-04T12:00:00+02:00", false, "\r\n"),
        ("2027-03-04T10:00:00+0000", true, "  \t\n"),
    ] {
        let mut spec = ContentTokenSpec::new("Main Street Schools", expected);
        spec.exp_date = exp_date.to_owned();
        spec.url_safe = url_safe;
        spec.trailing = trailing.to_owned();
        let bytes = spec.build();
        let Credential::ContentToken(t) = read(&bytes, None).expect(exp_date) else {
            panic!("kind")
        };
        assert_eq!(t.expires_at, expected, "{exp_date}");
        assert_eq!(t.org_name, "Main Street Schools");
        assert_eq!(t.sha256, tokenkeeper_core::token::sha256_hex(&bytes));
        assert_eq!(
            t.secret.expose_secret(),
            std::str::from_utf8(&bytes).unwrap().trim()
        );
    }
}
