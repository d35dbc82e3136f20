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

fn refused(bytes: &[u8]) -> Error {
    read(bytes, None).expect_err("refused")
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
    let err = tokenkeeper_core::read(&spec.build(&cert), Some(&key.private_key()))
        .expect_err("long consumer key");
    assert_eq!(err.kind(), "corrupt_file");
    assert!(
        err.to_string().contains("consumer_key is 2003 characters"),
        "{err}"
    );
}
