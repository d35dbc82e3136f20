//! Files mixed up, damaged or hostile: each gets a typed error whose message says what the file
//! is and what to do, and no secret ever shows in an error, `Debug` or JSON.

use chrono::{Duration, Utc};
use tokenkeeper_core::testing::{
    CONTENT_SECRET_MARKER, ContentTokenSpec, KeyPair, PushCertificateSpec, SECRET_MARKERS,
    ServerTokenSpec, TestCa, abm_certificate, pem, random_topic,
};
use tokenkeeper_core::{Kind, read, read_as};

fn samples() -> Vec<(Kind, Vec<u8>)> {
    let key = KeyPair::shared(0);
    let cert = abm_certificate(key, "Mixups", 5);
    vec![
        (
            Kind::PushCertificate,
            pem(&PushCertificateSpec::new(&random_topic()).issue(&TestCa::new(), key)),
        ),
        (
            Kind::ServerToken,
            ServerTokenSpec::new("CK_mix", Utc::now() + Duration::days(90)).build(&cert),
        ),
        (
            Kind::ContentToken,
            ContentTokenSpec::new("Acme", Utc::now() + Duration::days(90)).build(),
        ),
    ]
}

#[test]
fn a_file_on_the_wrong_zone_is_named_and_routed() {
    for (found, bytes) in samples() {
        for expected in Kind::ALL {
            let result = read_as(expected, &bytes, None);
            if expected == found {
                assert_eq!(result.unwrap().kind(), found);
                continue;
            }
            let e = result.unwrap_err();
            assert_eq!(e.kind(), "wrong_kind");
            let msg = e.to_string();
            assert!(
                msg.starts_with(&format!("this is {}", found.article_name())),
                "{msg}"
            );
            assert!(
                msg.ends_with(&format!("drop it on {}", found.zone_name())),
                "{msg}"
            );
        }
    }
    let (_, vpp) = &samples()[2];
    let e = read_as(Kind::ServerToken, vpp, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "this is an Apps and Books token, not an ADE server token: drop it on Apps and Books"
    );
}

#[test]
fn truncated_files_are_corrupt_and_say_which_kind() {
    let key = KeyPair::shared(0).private_key();
    for (kind, bytes) in samples() {
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() * 9 / 10] {
            let e = read(&bytes[..cut], Some(&key)).unwrap_err();
            let msg = e.to_string();
            assert!(
                e.kind() == "corrupt_file" || e.kind() == "unrecognized_file",
                "{kind:?} cut at {cut}: {} {msg}",
                e.kind()
            );
            if e.kind() == "corrupt_file" {
                assert!(
                    msg.starts_with(&format!("this looks like {}", kind.article_name())),
                    "{msg}"
                );
                assert!(msg.contains("download"), "{msg}");
            }
        }
    }
}

#[test]
fn no_secret_in_errors_debug_or_json() {
    let key = KeyPair::shared(0);
    let (_, token) = samples().remove(1);
    let (_, vpp) = samples().remove(2);
    let mut shown = Vec::new();
    for bytes in [&token, &vpp] {
        let cred = read(bytes, Some(&key.private_key())).unwrap();
        shown.push(format!("{cred:?}"));
        shown.push(serde_json::to_string(&cred).unwrap());
        for cut in (0..bytes.len()).step_by(97) {
            if let Err(e) = read(&bytes[..cut], Some(&key.private_key())) {
                shown.push(format!(
                    "{e} {e:?} {}",
                    serde_json::to_string(&e.body()).unwrap()
                ));
            }
        }
    }
    shown.push(format!("{:?}", key.private_key()));
    let all = shown.join("\n");
    for secret in SECRET_MARKERS.iter().chain([&CONTENT_SECRET_MARKER]) {
        assert!(!all.contains(secret), "{secret} leaked");
    }
    let vpp_text = String::from_utf8(vpp).unwrap();
    assert!(
        !all.contains(vpp_text.trim()),
        "the content token file leaked"
    );
    assert!(!all.contains("PRIVATE KEY"));
}

#[test]
fn wrong_key_on_minted_token_names_the_recipient() {
    let cert = abm_certificate(KeyPair::shared(0), "Server Cupertino", 0xabcdef);
    let bytes = ServerTokenSpec::new("CK_x", Utc::now()).build(&cert);
    let e = read(&bytes, Some(&KeyPair::shared(1).private_key())).unwrap_err();
    assert_eq!(e.kind(), "wrong_key");
    assert!(
        e.to_string()
            .contains("CN=Server Cupertino (serial abcdef)"),
        "{e}"
    );
}

#[test]
fn damaged_content_token_fields() {
    use base64::Engine;
    let b64 = |s: &str| {
        base64::engine::general_purpose::STANDARD
            .encode(s)
            .into_bytes()
    };
    for (json, what) in [
        (r#"{"token":"x","orgName":"A"}"#, "no expDate"),
        (r#"{"expDate":"2027-01-01T00:00:00Z"}"#, "no token"),
        (r#"{"token":"x","expDate":"soon"}"#, "bad date"),
        (
            r#"{"token":"x","expDate":"2027-01-01T00:00:00Z""#,
            "truncated json",
        ),
    ] {
        let e = read(&b64(json), None).unwrap_err();
        assert_eq!(e.kind(), "corrupt_file", "{what}");
        assert!(
            e.to_string().contains("Apps and Books token"),
            "{what}: {e}"
        );
    }
}

#[test]
fn keys_csrs_archives_and_images_are_named() {
    let key = KeyPair::shared(0);
    for (bytes, needle) in [
        (key.pkcs8_pem(), "private key"),
        (key.pkcs1_der(), "private key"),
        (b"\x89PNG\r\n\x1a\nrest".to_vec(), "PNG image"),
        (b"%PDF-1.7\n".to_vec(), "PDF"),
        (b"PK\x03\x04zip".to_vec(), "ZIP"),
        (b"{\"token\": \"x\"}".to_vec(), "JSON"),
    ] {
        let e = read(&bytes, None).unwrap_err();
        assert_eq!(e.kind(), "unrecognized_file");
        assert!(e.to_string().contains(needle), "{needle}: {e}");
    }
    let big = vec![b'A'; 1024 * 1024 + 1];
    assert_eq!(read(&big, None).unwrap_err().kind(), "too_large");
}
