//! The rules on hand-made records: the same content in another encoding, and one Apps and Books
//! location per client.

use super::*;

fn record(
    client: &str,
    label: &str,
    identity: &str,
    file: &str,
    content: Option<&str>,
) -> OnRecord {
    OnRecord {
        uid: format!("{client}-{label}"),
        client: client.to_owned(),
        label: label.to_owned(),
        identity: identity.to_owned(),
        recipient: None,
        expires_at: None,
        file_sha256: file.to_owned(),
        content_sha256: content.map(str::to_owned),
        apple_account: None,
    }
}

fn incoming(kind: Kind, identity: &str, file: &str, content: &str) -> Incoming {
    Incoming {
        kind,
        identity: identity.to_owned(),
        decrypted: true,
        recipient: None,
        expires_at: None,
        file_sha256: file.to_owned(),
        content_sha256: content.to_owned(),
        label: None,
    }
}

const TOPIC: &str = "com.apple.mgmt.External.1";

#[test]
fn the_same_certificate_in_another_encoding_is_already_on_record() {
    let records = [record("Acme", "APNs", TOPIC, "pem-file", Some("cert-der"))];
    let der = incoming(Kind::PushCertificate, TOPIC, "der-file", "cert-der");
    let v = decide("acme", &der, &records).expect("decide");
    assert_eq!(
        v.decision,
        Decision::AlreadyOnRecord {
            uid: "Acme-APNs".to_owned()
        }
    );
    assert!(v.warnings.is_empty());
}

#[test]
fn the_same_certificate_in_another_encoding_for_another_client_is_a_duplicate() {
    let records = [record("Acme", "APNs", TOPIC, "pem-file", Some("cert-der"))];
    let der = incoming(Kind::PushCertificate, TOPIC, "der-file", "cert-der");
    let e = decide("Globex", &der, &records).expect_err("duplicate");
    assert_eq!(e.kind(), "duplicate");
    let m = e.to_string();
    assert!(m.contains("another encoding") && m.contains("Acme"), "{m}");
}

#[test]
fn a_record_without_a_fingerprint_is_compared_by_file() {
    let records = [record("Acme", "APNs", TOPIC, "pem-file", None)];
    let same_file = incoming(Kind::PushCertificate, TOPIC, "pem-file", "cert-der");
    assert!(matches!(
        decide("Acme", &same_file, &records)
            .expect("decide")
            .decision,
        Decision::AlreadyOnRecord { .. }
    ));
    let other_file = incoming(Kind::PushCertificate, TOPIC, "der-file", "cert-der");
    assert!(matches!(
        decide("Acme", &other_file, &records)
            .expect("decide")
            .decision,
        Decision::Renew { .. }
    ));
}

#[test]
fn new_content_under_the_same_topic_is_a_renewal() {
    let records = [record("Acme", "APNs", TOPIC, "old-file", Some("old-der"))];
    let renewed = incoming(Kind::PushCertificate, TOPIC, "new-file", "new-der");
    assert_eq!(
        decide("Acme", &renewed, &records).expect("decide").decision,
        Decision::Renew {
            uid: "Acme-APNs".to_owned()
        }
    );
}

#[test]
fn a_content_token_for_a_location_another_client_holds_is_a_duplicate() {
    let records = [record(
        "Acme",
        "Main Street",
        "Main Street",
        "f1",
        Some("c1"),
    )];
    let token = incoming(Kind::ContentToken, "Main Street", "f2", "c2");
    let e = decide("Globex", &token, &records).expect_err("duplicate");
    assert_eq!(e.kind(), "duplicate");
    let m = e.to_string();
    assert!(
        m.contains("Acme") && m.contains("\"Main Street\"") && m.contains("import it for Acme"),
        "{m}"
    );
    // With a label of its own, too: the label does not make it another location.
    let labelled = Incoming {
        label: Some("Globex VPP".to_owned()),
        ..token.clone()
    };
    assert_eq!(
        decide("Globex", &labelled, &records)
            .expect_err("duplicate")
            .kind(),
        "duplicate"
    );
    // The client that holds it renews it as before.
    assert!(matches!(
        decide("Acme", &token, &records).expect("renew").decision,
        Decision::Renew { .. }
    ));
}

#[test]
fn content_tokens_without_an_organisation_are_not_matched_across_clients() {
    let records = [record("Acme", "Apps and Books token", "", "f1", Some("c1"))];
    let token = incoming(Kind::ContentToken, "", "f2", "c2");
    assert!(matches!(
        decide("Globex", &token, &records).expect("new").decision,
        Decision::New { .. }
    ));
}

#[test]
fn the_expected_target_is_the_labelled_one_or_the_only_push_certificate() {
    fn label_of(r: &OnRecord) -> &str {
        &r.label
    }
    let one = [record(
        "Acme",
        "APNs certificate",
        "com.apple.mgmt.a",
        "f1",
        None,
    )];
    let found = expected_target(Kind::PushCertificate, None, &one, label_of);
    assert_eq!(found.map(|r| r.uid.as_str()), Some("Acme-APNs certificate"));
    // Tokens: only a label tells which one before the file is read.
    assert!(expected_target(Kind::ContentToken, None, &one, label_of).is_none());
    assert!(expected_target(Kind::ContentToken, Some("  "), &one, label_of).is_none());
    let two = [
        record("Acme", "Main Street", "Acme Org", "f2", None),
        record("Acme", "Oak Lane", "Acme Org", "f3", None),
    ];
    let found = expected_target(Kind::ContentToken, Some(" oak lane "), &two, label_of);
    assert_eq!(found.map(|r| r.label.as_str()), Some("Oak Lane"));
    assert!(expected_target(Kind::PushCertificate, None, &two, label_of).is_none());
}
