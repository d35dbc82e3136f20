//! Reconciliation as a table: what is on record, what an MDM holds, what the user is told.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Utc};

use super::*;

mod cases;

fn at(s: &str) -> DateTime<Utc> {
    crate::mdm::parse_vendor_date(s).unwrap()
}

const TOPIC: &str = "com.apple.mgmt.External.0c1d2e3f-aaaa-bbbb-cccc-1234567890ab";

fn push(expires: &str, serial: &str) -> OnRecord {
    OnRecord {
        uid: "push".into(),
        client: "Acme".into(),
        kind: Some(Kind::PushCertificate),
        label: "APNs".into(),
        identity: TOPIC.into(),
        serial: Some(serial.into()),
        expires_at: Some(at(expires)),
        ..OnRecord::default()
    }
}

fn ade(expires: &str) -> OnRecord {
    OnRecord {
        uid: "ade".into(),
        client: "Acme".into(),
        kind: Some(Kind::ServerToken),
        label: "Cupertino ABM".into(),
        identity: "CK_123".into(),
        server_name: Some("Cupertino MDM".into()),
        org_name: Some("Acme Inc".into()),
        apple_account: Some("admin@acme.example".into()),
        expires_at: Some(at(expires)),
        ..OnRecord::default()
    }
}

fn vpp(expires: &str) -> OnRecord {
    OnRecord {
        uid: "vpp".into(),
        client: "Acme".into(),
        kind: Some(Kind::ContentToken),
        label: "Main Street".into(),
        identity: "Acme Inc".into(),
        location: Some("Main Street".into()),
        expires_at: Some(at(expires)),
        ..OnRecord::default()
    }
}

fn held(kind: Kind, f: impl FnOnce(&mut Held)) -> Held {
    let mut h = Held::new(kind);
    f(&mut h);
    h
}

fn seen(vendor: Vendor, h: Held) -> Seen {
    Seen {
        connection: format!("{} prod", vendor.id()),
        vendor,
        client: "acme".into(),
        portal: Portal::Business,
        synced_at: at("2026-12-01T08:00:00Z"),
        held: h,
    }
}

enum Want {
    /// Matched, no disagreement.
    Agrees,
    /// Matched, the reason contains this.
    Disagrees(&'static str),
    /// Not matched: a reason on the record that contains this.
    RecordTold(&'static str),
    /// Tracked from the MDM only.
    MdmOnly,
}

#[test]
fn reconciliation_table() {
    let now = at("2026-12-01T09:00:00Z");
    for (name, record, s, want) in cases::cases() {
        let r = reconcile(&[record], std::slice::from_ref(&s), now, 30);
        let (source, view, why) = r.of(match s.held.kind {
            Kind::PushCertificate => "push",
            Kind::ServerToken => "ade",
            Kind::ContentToken => "vpp",
        });
        match want {
            Want::Agrees => {
                assert_eq!(source, Source::Both, "{name}");
                assert_eq!(view.unwrap().connection, s.connection, "{name}");
                assert_eq!(why, None, "{name}");
                assert!(r.mdm_only.is_empty(), "{name}");
            }
            Want::Disagrees(words) => {
                assert_eq!(source, Source::Both, "{name}");
                let why = why.unwrap_or_default();
                assert!(why.contains(words), "{name}: {why}");
            }
            Want::RecordTold(words) => {
                assert_eq!(source, Source::File, "{name}");
                let why = why.unwrap_or_default();
                assert!(why.contains(words), "{name}: {why}");
                assert!(r.mdm_only.is_empty(), "{name}");
            }
            Want::MdmOnly => {
                assert_eq!(r.mdm_only, vec![0], "{name}");
                assert_eq!(source, Source::File, "{name}");
                assert_eq!(why, None, "{name}");
            }
        }
    }
}

#[test]
fn two_connections_one_credential_keep_both_disagreements_and_the_first_view() {
    let now = at("2026-12-01T09:00:00Z");
    let record = ade("2027-05-01");
    let a = seen(
        Vendor::Jamf,
        held(Kind::ServerToken, |h| {
            h.server_name = Some("Cupertino MDM".into());
            h.notice = Some(Notice::TermsNotAccepted);
        }),
    );
    let b = seen(
        Vendor::Kandji,
        held(Kind::ServerToken, |h| {
            h.server_name = Some("Cupertino MDM".into());
            h.expires_at = Some(at("2026-12-10"));
        }),
    );
    let r = reconcile(&[record], &[a, b], now, 30);
    let (source, view, why) = r.of("ade");
    assert_eq!(source, Source::Both);
    assert_eq!(view.unwrap().vendor, Vendor::Jamf);
    let why = why.unwrap();
    assert!(
        why.contains("terms are not accepted") && why.contains("Kandji still holds"),
        "{why}"
    );
}

#[test]
fn a_push_certificate_without_topic_matches_the_clients_only_one() {
    let now = at("2026-12-01T09:00:00Z");
    let s = seen(
        Vendor::Simplemdm,
        held(Kind::PushCertificate, |h| {
            h.apple_account = Some("admin@acme.example".into());
            h.expires_at = Some(at("2027-03-01T00:00:00Z"));
        }),
    );
    let r = reconcile(
        &[push("2027-03-01", "1a2b")],
        std::slice::from_ref(&s),
        now,
        30,
    );
    assert_eq!(r.of("push").0, Source::Both);
    // With no certificate on record it is tracked from the MDM.
    let r = reconcile(&[], &[s], now, 30);
    assert_eq!(r.mdm_only, vec![0]);
}
