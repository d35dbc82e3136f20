//! MDM connections in a vault: the secret only in the keychain, syncs recorded whole or not at
//! all, and the MDM's view in the listing.
#![allow(clippy::unwrap_used)]

use chrono::{Duration, TimeZone};

use super::*;
use crate::db::Db;
use crate::mdm::{Notice, Source};
use crate::secrets::MemoryStore;
use crate::status::State;
use crate::summary::Portal;
use crate::testing::{KeyPair, PushCertificateSpec, TestCa, pem};
use crate::token::Kind;
use crate::vault::{Confirmation, EventFilter, ImportRequest};

const SECRET: &str = "graph-client-secret-value-0001";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).single().unwrap()
}

fn form(name: &str) -> MdmForm {
    MdmForm {
        name: name.into(),
        client: "Acme".into(),
        vendor: "intune".into(),
        tenant: "tenant-1".into(),
        client_id: "app-1".into(),
        ..MdmForm::default()
    }
}

fn vault_with_push(dir: &std::path::Path) -> (Vault, String) {
    let mut v = Vault::new(
        Db::open(&dir.join("tk.db")).unwrap(),
        Box::new(MemoryStore::new()),
    );
    v.add_client("Acme", Portal::Business, "", now()).unwrap();
    let topic = "com.apple.mgmt.External.0c1d2e3f-aaaa-bbbb-cccc-1234567890ab";
    let cert = PushCertificateSpec::new(topic)
        .expiring(Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).single().unwrap())
        .issue(&TestCa::new(), KeyPair::shared(0));
    let out = v
        .import(
            &ImportRequest {
                client: "Acme".into(),
                bytes: pem(&cert),
                ..ImportRequest::default()
            },
            Confirmation::default(),
            now(),
        )
        .unwrap();
    (v, out.uid)
}

fn push_held(expires: &str, serial: &str) -> Held {
    let mut h = Held::new(Kind::PushCertificate);
    h.topic = Some("com.apple.mgmt.External.0c1d2e3f-aaaa-bbbb-cccc-1234567890ab".into());
    h.serial = Some(serial.into());
    h.expires_at = crate::mdm::parse_vendor_date(expires);
    h
}

#[test]
fn forms_are_checked_before_anything_is_stored() {
    let ok = form("Acme Intune").check().unwrap();
    assert_eq!(ok.url, "https://graph.microsoft.com");
    for (f, words) in [
        (
            MdmForm {
                name: " ".into(),
                ..form("x")
            },
            "needs a name",
        ),
        (
            MdmForm {
                vendor: "airwatch".into(),
                ..form("x")
            },
            "not an MDM",
        ),
        (
            MdmForm {
                tenant: String::new(),
                ..form("x")
            },
            "tenant",
        ),
        (
            MdmForm {
                vendor: "jamf".into(),
                ..form("x")
            },
            "needs its address",
        ),
        (
            MdmForm {
                url: "http://jamf.example".into(),
                ..form("x")
            },
            "plain http",
        ),
        (
            MdmForm {
                ca_pem: "nope".into(),
                ..form("x")
            },
            "PEM certificate",
        ),
    ] {
        let e = f.check().unwrap_err();
        assert_eq!(e.kind(), "invalid_input");
        assert!(e.to_string().contains(words), "{e}");
    }
}

#[test]
fn a_connection_keeps_its_secret_in_the_keychain_only() {
    let dir = tempfile::tempdir().unwrap();
    let (mut v, _) = vault_with_push(dir.path());
    let c = v
        .add_mdm_connection(&form("Acme Intune"), SECRET.as_bytes(), now())
        .unwrap();
    assert_eq!(c.vendor, Vendor::Intune);
    assert_eq!(c.client, "Acme");
    let e = v
        .add_mdm_connection(&form("acme intune"), b"x", now())
        .unwrap_err();
    assert_eq!(e.kind(), "already_exists");
    let e = v
        .add_mdm_connection(
            &MdmForm {
                client: "Nobody".into(),
                ..form("Other")
            },
            b"x",
            now(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), "not_found");
    let access = v.mdm_access(Some("ACME INTUNE")).unwrap();
    assert_eq!(access.len(), 1);
    assert!(!format!("{access:?}").contains(SECRET));
    let listed = serde_json::to_string(&v.mdm_connections().unwrap()).unwrap();
    assert!(!listed.contains(SECRET));
    drop(v);
    let bytes = std::fs::read(dir.path().join("tk.db")).unwrap();
    assert!(!bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()));
}

#[test]
fn syncs_replace_what_was_held_failures_change_nothing_and_disagreements_show() {
    let dir = tempfile::tempdir().unwrap();
    let (mut v, uid) = vault_with_push(dir.path());
    let c = v
        .add_mdm_connection(&form("Acme Intune"), SECRET.as_bytes(), now())
        .unwrap();
    // Before any sync: from the file only.
    let s = v.summaries(now()).unwrap();
    assert_eq!(s[0].source, Source::File);

    // Intune still holds last year's certificate.
    let mut ade = Held::new(Kind::ServerToken);
    ade.server_name = Some("Cupertino MDM".into());
    ade.expires_at = Some(now() + Duration::days(100));
    ade.notice = Some(Notice::TermsNotAccepted);
    let reports = v
        .record_mdm_syncs(
            vec![(c.uid.clone(), Ok(vec![push_held("2026-12-20", "99"), ade]))],
            now(),
        )
        .unwrap();
    assert!(reports[0].ok);
    assert_eq!(
        (reports[0].push_certificates, reports[0].server_tokens),
        (1, 1)
    );
    let s = v.summaries(now()).unwrap();
    let push = s.iter().find(|s| s.uid == uid).unwrap();
    assert_eq!(push.source, Source::Both);
    assert_eq!(push.status.state, State::Error);
    assert_eq!(
        push.status.reason.as_deref(),
        Some(
            "the renewed certificate on record expires 2027-03-01 but Intune still holds the one expiring 2026-12-20: upload the renewed certificate to Intune"
        )
    );
    assert_eq!(push.mdm.as_ref().unwrap().connection, "Acme Intune");
    let only = s.iter().find(|s| s.source == Source::Mdm).unwrap();
    assert_eq!(only.kind, Kind::ServerToken);
    assert_eq!(only.label, "Cupertino MDM");
    assert!(
        only.status
            .reason
            .as_deref()
            .unwrap()
            .contains("ABM terms are not accepted")
    );
    let only_uid = only.uid.clone();

    // A failed sync leaves what was held as it was.
    let reports = v
        .record_mdm_syncs(
            vec![(c.uid.clone(), Err("the MDM failed (HTTP 503)".into()))],
            now(),
        )
        .unwrap();
    assert!(!reports[0].ok);
    let after = v.summaries(now()).unwrap();
    assert_eq!(after.len(), s.len());
    assert_eq!(
        after.iter().find(|s| s.source == Source::Mdm).unwrap().uid,
        only_uid
    );
    let listed = v.mdm_connection("Acme Intune").unwrap();
    assert_eq!(
        listed.last_error.as_deref(),
        Some("the MDM failed (HTTP 503)")
    );
    assert_eq!(listed.held, 2);

    // The renewed certificate uploaded: they agree (same serial, same expiry).
    v.record_mdm_syncs(
        vec![(c.uid.clone(), Ok(vec![push_held("2027-03-01", "5eedc0de")]))],
        now(),
    )
    .unwrap();
    let s = v.summaries(now()).unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].source, Source::Both);
    assert_eq!(s[0].status.state, State::Active, "{:?}", s[0].status.reason);

    let kinds: Vec<String> = v
        .events(&EventFilter::default())
        .unwrap()
        .into_iter()
        .map(|e| e.kind.id().to_owned())
        .collect();
    for k in ["mdm_connected", "mdm_synced", "mdm_sync_failed"] {
        assert!(kinds.iter().any(|e| e == k), "{k}: {kinds:?}");
    }
    // The disagreement put the certificate in Error, and that change is in the log.
    assert!(kinds.iter().any(|e| e == "state_changed"));
}

#[test]
fn removing_a_connection_or_its_client_retires_its_secret() {
    let dir = tempfile::tempdir().unwrap();
    let (mut v, _) = vault_with_push(dir.path());
    let c = v
        .add_mdm_connection(&form("Acme Intune"), SECRET.as_bytes(), now())
        .unwrap();
    v.record_mdm_syncs(
        vec![(c.uid.clone(), Ok(vec![push_held("2026-12-20", "99")]))],
        now(),
    )
    .unwrap();
    v.remove_mdm_connection("acme intune", now()).unwrap();
    assert!(v.mdm_connections().unwrap().is_empty());
    assert_eq!(v.summaries(now()).unwrap()[0].source, Source::File);
    assert_eq!(
        v.remove_mdm_connection("acme intune", now())
            .unwrap_err()
            .kind(),
        "not_found"
    );
    v.add_mdm_connection(&form("Again"), SECRET.as_bytes(), now())
        .unwrap();
    v.remove_client("Acme", now()).unwrap();
    assert!(v.mdm_connections().unwrap().is_empty());
    assert!(
        v.orphaned_secrets(now(), Duration::zero())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn scheduled_syncs_follow_the_check_interval() {
    let dir = tempfile::tempdir().unwrap();
    let (mut v, _) = vault_with_push(dir.path());
    assert_eq!(v.next_mdm_sync().unwrap(), None);
    let c = v
        .add_mdm_connection(&form("Acme Intune"), SECRET.as_bytes(), now())
        .unwrap();
    assert_eq!(
        v.mdm_syncs_due(now()).unwrap(),
        vec!["Acme Intune".to_owned()]
    );
    v.record_mdm_syncs(vec![(c.uid, Err("down".into()))], now())
        .unwrap();
    assert!(
        v.mdm_syncs_due(now() + Duration::hours(23))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        v.mdm_syncs_due(now() + Duration::hours(24)).unwrap().len(),
        1
    );
    assert_eq!(
        v.next_mdm_sync().unwrap(),
        Some(now() + Duration::hours(24))
    );
}
