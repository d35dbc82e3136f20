//! Hostile and damaged files: each is refused with the right kind and a message that says what
//! the file is and what to do, or read correctly. Timing lives in `benches/hostile.rs`, never in
//! an assertion here.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{TimeZone, Utc};
use tokenkeeper_core::testing::{
    ContentTokenSpec, Encoding, KeyPair, Layout, PushCertificateSpec, ServerTokenSpec, TestCa,
    abm_certificate, der, pem, random_topic,
};
use tokenkeeper_core::{Error, read};

fn expiry() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 4, 10, 0, 0).single().unwrap()
}

/// The refusal; a file that is read instead fails the test without printing it (it may be huge).
fn refused(bytes: &[u8]) -> Error {
    match read(bytes, None) {
        Ok(credential) => panic!("read as {:?} instead of refused", credential.kind()),
        Err(e) => e,
    }
}

#[test]
fn thirty_thousand_unterminated_begin_lines_are_a_damaged_certificate() {
    let text = "-----BEGIN CERTIFICATE-----\nMIIBC\n".repeat(30_000);
    assert!(text.len() > 1_000_000 && text.len() <= 1024 * 1024);
    let err = refused(text.as_bytes());
    assert_eq!(err.kind(), "corrupt_file", "{err}");
    assert!(err.to_string().contains("APNs push certificate"), "{err}");
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn a_raw_ber_server_token_cut_short_is_damaged_not_unrecognized() {
    let key = KeyPair::shared(0);
    let cert = abm_certificate(key, "Cut", 5);
    for encoding in [Encoding::Indefinite, Encoding::Definite] {
        let mut spec = ServerTokenSpec::new("CK_cut", expiry());
        spec.layout = Layout::Raw;
        spec.encoding = encoding;
        let whole = spec.build(&cert);
        for cut in [24, whole.len() / 3, whole.len() / 2, whole.len() - 1] {
            let err = refused(&whole[..cut]);
            assert_eq!(
                err.kind(),
                "corrupt_file",
                "{encoding:?} cut at {cut}: {err}"
            );
            let text = err.to_string();
            assert!(text.contains("ADE server token"), "{text}");
            assert!(text.contains("cut short"), "{text}");
            assert!(text.contains("download the token again"), "{text}");
        }
    }
}

#[test]
fn a_bare_base64_server_token_cut_short_is_damaged() {
    let mut spec = ServerTokenSpec::new("CK_cut", expiry());
    spec.layout = Layout::Raw;
    let whole = STANDARD.encode(spec.build(&abm_certificate(KeyPair::shared(0), "Cut", 6)));
    for cut in [whole.len() / 2, whole.len() / 2 + 1, whole.len() - 3] {
        let err = refused(&whole.as_bytes()[..cut]);
        assert_eq!(err.kind(), "corrupt_file", "cut at {cut}: {err}");
        assert!(err.to_string().contains("ADE server token"), "{err}");
    }
}

#[test]
fn a_der_certificate_cut_short_is_a_damaged_push_certificate() {
    let cert =
        der(&PushCertificateSpec::new(&random_topic()).issue(&TestCa::new(), KeyPair::shared(0)));
    for cut in [16, cert.len() / 2, cert.len() - 1] {
        let err = refused(&cert[..cut]);
        assert_eq!(err.kind(), "corrupt_file", "cut at {cut}: {err}");
        assert!(err.to_string().contains("APNs push certificate"), "{err}");
        assert!(err.to_string().contains("cut short"), "{err}");
    }
    let text =
        pem(&PushCertificateSpec::new(&random_topic()).issue(&TestCa::new(), KeyPair::shared(0)));
    let err = refused(&text[..text.len() / 2]);
    assert_eq!(err.kind(), "corrupt_file", "{err}");
}

#[test]
fn a_content_token_cut_short_is_damaged() {
    let whole = ContentTokenSpec::new("Acme Inc", expiry()).build();
    // Every cut, whatever its length modulo 4.
    for cut in [
        whole.len() / 2,
        whole.len() / 2 + 1,
        whole.len() / 2 + 2,
        whole.len() / 2 + 3,
    ] {
        let err = refused(&whole[..cut]);
        assert_eq!(err.kind(), "corrupt_file", "cut at {cut}: {err}");
        assert!(err.to_string().contains("Apps and Books token"), "{err}");
    }
}

#[test]
fn repeated_json_fields_are_named() {
    let json = r#"{"token":"t","expDate":"2027-03-04T10:00:00Z","orgName":"A","expDate":"2028-03-04T10:00:00Z"}"#;
    let err = refused(STANDARD.encode(json).as_bytes());
    assert_eq!(err.kind(), "corrupt_file");
    let text = err.to_string();
    assert!(text.contains("the field \"expDate\" twice"), "{text}");
    assert!(text.contains("edited or is not from Apple"), "{text}");
    assert!(text.contains("download the token again"), "{text}");
}

#[test]
fn absurd_text_fields_are_refused_everywhere() {
    let long = "x".repeat(700_000);
    let mut spec = ContentTokenSpec::new(&long, expiry());
    let err = refused(&spec.build());
    assert_eq!(err.kind(), "corrupt_file");
    assert!(
        err.to_string()
            .contains("orgName is 700000 characters long"),
        "{err}"
    );
    assert!(err.to_string().len() < 400);
    spec.org_name = "Acme".to_owned();
    spec.token = "t".repeat(10_000);
    let err = refused(&spec.build());
    assert!(
        err.to_string().contains("token value is 10000 characters"),
        "{err}"
    );
    assert!(!err.to_string().contains("tttt"), "{err}");

    let key = KeyPair::shared(0);
    // The common name is made from the topic's last part: keep that one short.
    let topic = format!("com.apple.mgmt.External.{}.x", "a".repeat(5_000));
    let cert = PushCertificateSpec::new(&topic).issue(&TestCa::new(), key);
    let err = refused(&pem(&cert));
    assert_eq!(err.kind(), "corrupt_file");
    assert!(
        err.to_string()
            .contains("push topic (subject UID) is 5026 characters"),
        "{err}"
    );

    let mut spec = ServerTokenSpec::new(&format!("CK_{}", "k".repeat(2_000)), expiry());
    spec.layout = Layout::Apple;
    let cert = abm_certificate(key, "Long", 7);
    let Err(err) = read(&spec.build(&cert), Some(&key.private_key())) else {
        panic!("a 2,003-character consumer key was read");
    };
    assert_eq!(err.kind(), "corrupt_file");
    assert!(
        err.to_string().contains("consumer_key is 2003 characters"),
        "{err}"
    );
}

#[test]
fn key_files_of_nested_ber_are_refused() {
    use tokenkeeper_core::PrivateKey;
    use tokenkeeper_core::pki::pkcs12;
    // Indefinite lengths nested far past the reader's limit, and wide: OpenSSL's decoders took
    // 0.8 to 0.9 s on each (benches/hostile.rs); they are refused before reaching OpenSSL.
    let nested = [0x30u8, 0x80].repeat(512 * 1024);
    let mut wide = vec![0x30, 0x80];
    while wide.len() < 1024 * 1024 - 64 {
        wide.extend_from_slice(&[0x30, 0x80, 0x04, 0x01, 0x00, 0x00, 0x00]);
    }
    for bytes in [nested, wide] {
        let err = PrivateKey::from_bytes(&bytes).expect_err("not a key");
        assert_eq!(err.kind(), "invalid_key", "{err}");
        assert!(!pkcs12::is_pkcs12(&bytes));
    }
    // Real keys and PKCS#12 files still open.
    let key = KeyPair::shared(0);
    assert!(PrivateKey::from_bytes(&key.pkcs1_der()).is_ok());
    assert!(PrivateKey::from_bytes(&key.pkcs8_der()).is_ok());
    let cert = PushCertificateSpec::new(&random_topic()).issue(&TestCa::new(), key);
    let p12 = key.pkcs12(&cert, "secret");
    assert!(pkcs12::is_pkcs12(&p12));
    assert!(pkcs12::open(&p12, "secret").is_ok());
}

#[test]
fn files_of_many_key_blocks_are_refused_after_the_first_few() {
    use tokenkeeper_core::PrivateKey;
    let tiny = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
    // 1 MiB of tiny key blocks behind a certificate block: each cost OpenSSL a millisecond,
    // 20 s in all (benches/hostile.rs); only the first few are tried now.
    let many = tiny.repeat(1024 * 1024 / tiny.len() - 1);
    let err = PrivateKey::from_bytes(many.as_bytes()).expect_err("no usable key");
    assert_eq!(err.kind(), "invalid_key");
    let cert =
        pem(&PushCertificateSpec::new(&random_topic()).issue(&TestCa::new(), KeyPair::shared(0)));
    let bundle = [&cert[..], many.as_bytes()].concat();
    let Ok(tokenkeeper_core::Credential::PushCertificate(read_cert)) =
        read(&bundle[..1024 * 1024], None)
    else {
        panic!("the certificate of a bundle with unusable keys is still read");
    };
    assert_eq!(read_cert.key_matches, None);
    // A real key after a damaged block is still found.
    let key = KeyPair::shared(0);
    let two = [tiny.as_bytes(), &key.pkcs8_pem()].concat();
    assert!(PrivateKey::from_bytes(&two).is_ok());
}

#[test]
fn absurd_text_in_apples_answers_is_not_kept() {
    use tokenkeeper_core::apple::{apps_and_books, device_assignment};
    let long = "L".repeat(100_000);
    let config = format!(r#"{{"locationName":"{long}","uId":"2049025000431439"}}"#);
    let detail = apps_and_books::read_config(&config).expect_err("long location");
    assert!(
        detail.contains("locationName is 100000 characters long"),
        "{detail}"
    );
    assert!(!detail.contains("LLLL"), "{detail}");
    let fine = apps_and_books::read_config(r#"{"locationName":"Main Street","uId":204902}"#)
        .expect("Apple's answer");
    assert_eq!(fine.location_name.as_deref(), Some("Main Street"));
    assert_eq!(fine.uid.as_deref(), Some("204902"));

    let account = format!(r#"{{"server_name":"dev","org_name":"{long}"}}"#);
    let detail = device_assignment::read_account(&account).expect_err("long org");
    assert!(
        detail.contains("org_name is 100000 characters long"),
        "{detail}"
    );
    let sample = std::fs::read_to_string(tokenkeeper_core::testing::external_fixture(
        "micromdm/account_response.json",
    ))
    .unwrap();
    let account = device_assignment::read_account(&sample).expect("micromdm's sample");
    assert_eq!(account.org_name.as_deref(), Some("Acme, Inc"));
}
