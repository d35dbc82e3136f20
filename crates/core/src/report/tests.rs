//! A packed report is the listing: the same rows in the same order, field for field, with the
//! MDMs' view, the credentials only an MDM holds, and the same state changes noticed.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::db::Db;
use crate::mdm::Held;
use crate::secrets::MemoryStore;
use crate::testing::{ContentTokenSpec, KeyPair, PushCertificateSpec, TestCa, pem};
use crate::vault::{Confirmation, ImportRequest, MdmForm, Vault};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).single().unwrap()
}

const TOPIC: &str = "com.apple.mgmt.External.0c1d2e3f-aaaa-bbbb-cccc-1234567890ab";

fn import(v: &mut Vault, client: &str, bytes: Vec<u8>, label: &str, account: Option<&str>) {
    v.import(
        &ImportRequest {
            client: client.into(),
            bytes,
            label: Some(label.into()),
            apple_account: account.map(str::to_owned),
            ..ImportRequest::default()
        },
        Confirmation {
            confirmed: true,
            ..Confirmation::default()
        },
        now(),
    )
    .unwrap();
}

/// Clients whose names differ only in case, equal keys decided by the label, every state, an
/// Apple Account or none, and a client whose MDM holds last year's certificate and a token the
/// vault does not know.
fn vault(dir: &std::path::Path) -> Vault {
    let mut v = Vault::new(
        Db::open(&dir.join("tk.db")).unwrap(),
        Box::new(MemoryStore::new()),
    );
    for name in ["Acme", "beta", "Beta Two", "Zulu"] {
        v.add_client(name, Portal::Business, "", now()).unwrap();
    }
    let cert = PushCertificateSpec::new(TOPIC)
        .expiring(Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).single().unwrap())
        .issue(&TestCa::new(), KeyPair::shared(0));
    import(&mut v, "Acme", pem(&cert), "Push", Some("it@acme.example"));
    let same_day = now() + Duration::days(200);
    for (client, org, days, label) in [
        ("beta", "Beta Books", 10, "b"),
        ("Beta Two", "Beta Two Books", 10, "a"),
        ("Zulu", "Zulu North", 200, "north"),
        ("Zulu", "Zulu South", 200, "south"),
        ("Zulu", "Zulu East", -3, "east"),
        ("Acme", "Acme Books", 45, "books"),
    ] {
        let expiry = if days == 200 {
            same_day
        } else {
            now() + Duration::days(days)
        };
        let token = ContentTokenSpec::new(org, expiry).build();
        import(&mut v, client, token, label, None);
    }
    let c = v
        .add_mdm_connection(
            &MdmForm {
                name: "Acme Intune".into(),
                client: "Acme".into(),
                vendor: "intune".into(),
                tenant: "tenant-1".into(),
                client_id: "app-1".into(),
                ..MdmForm::default()
            },
            b"graph-client-secret-value-0001",
            now(),
        )
        .unwrap();
    let mut old = Held::new(Kind::PushCertificate);
    old.topic = Some(TOPIC.into());
    old.serial = Some("99".into());
    old.expires_at = crate::mdm::parse_vendor_date("2026-12-20");
    let mut ade = Held::new(Kind::ServerToken);
    ade.server_name = Some("Cupertino MDM".into());
    ade.expires_at = Some(now() + Duration::days(100));
    v.record_mdm_syncs(vec![(c.uid, Ok(vec![old, ade]))], now())
        .unwrap();
    v
}

/// A summary as a comparable value: every field, the one serde skips too.
fn fields(s: &CredentialSummary) -> (serde_json::Value, u32) {
    (serde_json::to_value(s).unwrap(), s.renewal_window_days)
}

#[test]
fn a_report_lists_what_the_summaries_list_in_their_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(dir.path());
    for at in [
        now(),
        now() + Duration::days(20),
        now() + Duration::days(400),
    ] {
        let summaries = v.summaries(at).unwrap();
        let report = v.report(at).unwrap();
        assert_eq!(report.count(), summaries.len());
        assert!(summaries.len() >= 8, "every credential and the MDM's own");
        let packed: Vec<_> = report.rows().map(|r| fields(&r.to_summary())).collect();
        let listed: Vec<_> = summaries.iter().map(fields).collect();
        assert_eq!(packed, listed, "at {at}");
    }
    let report = v.report(now()).unwrap();
    let acme_push = report
        .rows()
        .find(|r| r.kind == Kind::PushCertificate)
        .unwrap();
    assert_eq!(
        acme_push.source,
        Source::Both,
        "the MDM's view is in the report"
    );
    assert_eq!(acme_push.apple_account, Some("it@acme.example"));
    assert!(report.rows().any(|r| r.source == Source::Mdm));
    assert!(report.rows().any(|r| r.apple_account.is_none()));

    // The same state changes noticed, and recorded once.
    let later = now() + Duration::days(400);
    let (_, unrecorded) = v.report_unrecorded(later).unwrap();
    // What the listing records on a twin vault (an MDM's own row has nothing to record).
    let twin_dir = tempfile::tempdir().unwrap();
    let recorded = vault(twin_dir.path())
        .record_state_changes(later)
        .unwrap()
        .1;
    assert!(recorded > 0);
    // Noticed: those, and the MDM's own row (no record to write its state on).
    assert_eq!(unrecorded, recorded + 1);
    assert_eq!(v.report_and_record(later).unwrap().1, recorded);
    assert_eq!(v.record_state_changes(later).unwrap().1, 0);
    assert_eq!(
        v.report_unrecorded(later).unwrap().1,
        1,
        "only the MDM's own row"
    );
}

#[test]
fn an_empty_vault_reports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let v = Vault::new(
        Db::open(&dir.path().join("tk.db")).unwrap(),
        Box::new(MemoryStore::new()),
    );
    let report = v.report(now()).unwrap();
    assert_eq!(report.count(), 0);
    assert!(report.rows().next().is_none());
}
