//! The vault on memory secrets and a real or in-memory database: one credential in several
//! encodings, one Apps and Books location per client, state changes recorded without waiting,
//! `verify`, and the caps on typed text.

use chrono::{Duration, TimeZone};

use super::*;
use crate::renewal::Decision;
use crate::secrets::MemoryStore;
use crate::status::State;
use crate::testing::{
    ContentTokenSpec, KeyPair, PushCertificateSpec, TestCa, der, pem, random_topic,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
        .single()
        .expect("date")
}

fn vault_at(path: &std::path::Path) -> Vault {
    Vault::new(Db::open(path).expect("db"), Box::new(MemoryStore::new()))
}

fn memory_vault() -> Vault {
    Vault::new(
        Db::open_in_memory().expect("db"),
        Box::new(MemoryStore::new()),
    )
}

fn import(v: &mut Vault, client: &str, bytes: Vec<u8>) -> Result<ImportOutcome> {
    v.import(
        &ImportRequest {
            client: client.to_owned(),
            bytes,
            ..ImportRequest::default()
        },
        Confirmation::default(),
        now(),
    )
}

fn event_kinds(v: &Vault) -> Vec<String> {
    v.events(&EventFilter::default())
        .expect("events")
        .into_iter()
        .map(|e| e.kind.id().to_owned())
        .collect()
}

#[test]
fn one_push_certificate_as_pem_der_and_bundle_is_one_revision() {
    let mut v = memory_vault();
    v.add_client("Acme", Portal::default(), "", now())
        .expect("client");
    let ca = TestCa::new();
    let key = KeyPair::shared(0);
    let cert = PushCertificateSpec::new(&random_topic())
        .expiring(now() + Duration::days(300))
        .issue(&ca, key);
    let first = import(&mut v, "Acme", pem(&cert)).expect("pem");
    assert!(matches!(first.plan.decision, Decision::New { .. }));
    let second = import(&mut v, "Acme", der(&cert)).expect("der");
    assert_eq!(
        second.plan.decision,
        Decision::AlreadyOnRecord {
            uid: first.uid.clone()
        }
    );
    let mut bundle = key.pkcs8_pem();
    bundle.extend(pem(&cert));
    bundle.extend(pem(&ca.cert));
    let third = import(&mut v, "Acme", bundle).expect("bundle");
    assert!(matches!(
        third.plan.decision,
        Decision::AlreadyOnRecord { .. }
    ));
    assert_eq!(third.revision, 1);
    assert_eq!(v.versions(&first.uid).expect("versions").len(), 1);
    assert!(!event_kinds(&v).iter().any(|k| k == "renewed"));
    // The same certificate in another encoding is still refused for another client.
    v.add_client("Globex", Portal::default(), "", now())
        .expect("client");
    let e = import(&mut v, "Globex", der(&cert)).expect_err("duplicate");
    assert_eq!(e.kind(), "duplicate", "{e}");
}

#[test]
fn one_content_token_in_another_base64_is_already_on_record() {
    let mut v = memory_vault();
    v.add_client("Acme", Portal::default(), "", now())
        .expect("client");
    let spec = ContentTokenSpec::new("Main Street", now() + Duration::days(300));
    let first = import(&mut v, "Acme", spec.build()).expect("standard base64");
    let url_safe = ContentTokenSpec {
        url_safe: true,
        trailing: "\r\n".to_owned(),
        ..spec
    };
    let again = import(&mut v, "Acme", url_safe.build()).expect("url-safe");
    assert_eq!(
        again.plan.decision,
        Decision::AlreadyOnRecord { uid: first.uid }
    );
}

#[test]
fn a_content_token_for_a_location_another_client_holds_is_refused() {
    let mut v = memory_vault();
    v.add_client("Acme", Portal::default(), "", now())
        .expect("client");
    v.add_client("Globex", Portal::default(), "", now())
        .expect("client");
    let spec = ContentTokenSpec::new("Main Street", now() + Duration::days(300));
    import(&mut v, "Acme", spec.build()).expect("first");
    let renewed = ContentTokenSpec::new("Main Street", now() + Duration::days(360));
    let e = import(&mut v, "Globex", renewed.build()).expect_err("other client");
    assert_eq!(e.kind(), "duplicate");
    assert!(e.to_string().contains("Acme"), "{e}");
    assert_eq!(
        v.summaries(now()).expect("list").len(),
        1,
        "nothing added for Globex"
    );
}

#[test]
fn state_changes_wait_for_no_writer_and_are_recorded_by_the_next_run() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("tk.db");
    let mut v = vault_at(&path);
    v.add_client("Acme", Portal::default(), "", now())
        .expect("client");
    let cert = PushCertificateSpec::new(&random_topic())
        .expiring(now() + Duration::days(40))
        .issue(&TestCa::new(), KeyPair::shared(0));
    import(&mut v, "Acme", pem(&cert)).expect("import");
    let later = now() + Duration::days(20);
    let writer = rusqlite::Connection::open(&path).expect("writer");
    writer
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO settings (key, value) VALUES ('x', '1');")
        .expect("hold the write lock");
    let (rows, recorded) = v.record_state_changes(later).expect("read while locked");
    assert_eq!(rows[0].status.state, State::RenewalRequired);
    assert_eq!(recorded, 0, "skipped, not waited for");
    writer.execute_batch("ROLLBACK").expect("release");
    assert_eq!(v.record_state_changes(later).expect("next run").1, 1);
    assert_eq!(v.record_state_changes(later).expect("again").1, 0);
    let changes = event_kinds(&v)
        .into_iter()
        .filter(|k| k == "state_changed")
        .count();
    assert_eq!(changes, 1, "recorded once");
}

#[test]
fn verify_reports_a_sound_vault_and_a_broken_reference() {
    let mut v = memory_vault();
    v.add_client("Acme", Portal::default(), "", now())
        .expect("client");
    assert!(v.verify(now()).expect("verify").is_ok());
    v.db.sql()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO keys (uid, client_id, purpose, label, key_ref, public_key_sha256, created_at)
             VALUES ('k', 42, 'ade', 'orphan', 'ref', 'sha', '2026-01-01T00:00:00Z');
             PRAGMA foreign_keys = ON;",
        )
        .expect("orphan");
    let report = v.verify(now()).expect("verify");
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].kind, ProblemKind::BrokenReference);
    assert!(report.database_damaged());
    assert!(report.problems[0].message.contains("tokenkeeper restore"));
}

#[test]
fn typed_text_past_its_limit_is_refused_naming_the_field() {
    let mut v = memory_vault();
    let long_name = "n".repeat(MAX_NAME_CHARS + 1);
    let e = v
        .add_client(&long_name, Portal::default(), "", now())
        .expect_err("name");
    assert_eq!(e.kind(), "invalid_input");
    assert!(e.to_string().contains("client name") && e.to_string().contains("200"));
    let long_notes = "n".repeat(MAX_NOTES_CHARS + 1);
    let e = v
        .add_client("Acme", Portal::default(), &long_notes, now())
        .expect_err("notes");
    assert!(e.to_string().contains("notes") && e.to_string().contains("10000"));
    let acme = v
        .add_client("Acme", Portal::default(), "", now())
        .expect("client");
    assert!(
        v.update_client("Acme", &long_name, acme.portal, "", now())
            .is_err()
    );
    let cert = PushCertificateSpec::new(&random_topic())
        .expiring(now() + Duration::days(300))
        .issue(&TestCa::new(), KeyPair::shared(0));
    let e = v
        .import(
            &ImportRequest {
                client: "Acme".to_owned(),
                bytes: pem(&cert),
                apple_account: Some("a".repeat(MAX_APPLE_ACCOUNT_CHARS + 1)),
                ..ImportRequest::default()
            },
            Confirmation::default(),
            now(),
        )
        .expect_err("account");
    assert!(e.to_string().contains("Apple Account") && e.to_string().contains("320"));
    let saved = import(&mut v, "Acme", pem(&cert)).expect("import");
    let e = v
        .update_credential(&saved.uid, &"l".repeat(MAX_NAME_CHARS + 1), None, now())
        .expect_err("label");
    assert!(e.to_string().contains("credential label"), "{e}");
    assert!(
        v.update_credential(&saved.uid, "APNs", Some(&"a".repeat(321)), now())
            .is_err()
    );
    assert!(
        v.update_credential(&saved.uid, &"l".repeat(MAX_NAME_CHARS), None, now())
            .is_ok()
    );
}

#[test]
fn the_dashboard_index_read_from_the_database_is_the_listing_indexed() {
    let mut v = memory_vault();
    let same_day = now() + Duration::days(40);
    for (i, client) in ["Globex", "acme", "Bolt"].into_iter().enumerate() {
        v.add_client(client, Portal::default(), "", now())
            .expect("client");
        let days = [10, 40, 400][i];
        let cert = PushCertificateSpec::new(&random_topic())
            .expiring(now() + Duration::days(days))
            .issue(&TestCa::new(), KeyPair::shared(0));
        import(&mut v, client, pem(&cert)).expect("push");
        let org = format!("Org {i}");
        import(
            &mut v,
            client,
            ContentTokenSpec::new(&org, same_day).build(),
        )
        .expect("vpp");
    }
    let later = now() + Duration::days(20);
    let listed = v.summaries(later).expect("list");
    let expected: Vec<String> = listed.iter().map(|c| format!("{c:?}")).collect();
    let index = v.dashboard_index(later).expect("index");
    let page = index.query(&crate::dashboard::DashboardQuery {
        limit: 50,
        ..Default::default()
    });
    let got: Vec<String> = page.rows.iter().map(|c| format!("{c:?}")).collect();
    assert_eq!(got, expected);
    assert_eq!(page.clients, 3);
    // Searched as the index made from the listing is (whose texts are stored in the listing's
    // order, where this one stores them in the order the database gives its rows).
    let from_listing = crate::dashboard::DashboardIndex::new(listed.clone(), 3);
    let answer = |index: &crate::dashboard::DashboardIndex, search: &str| -> Vec<String> {
        let page = index.query(&crate::dashboard::DashboardQuery {
            search: search.to_owned(),
            limit: 50,
            ..Default::default()
        });
        page.rows.iter().map(|c| format!("{c:?}")).collect()
    };
    for search in [
        "",
        "acme",
        "ACME org",
        "org 1",
        "content",
        "renewal",
        "com.apple",
        "bolt push",
        "nothing",
    ] {
        assert_eq!(
            answer(&index, search),
            answer(&from_listing, search),
            "{search:?}"
        );
    }
    assert_eq!(answer(&index, "acme").len(), 2);
    assert_eq!(answer(&index, "org 1").len(), 1);
    assert!(answer(&index, "nothing").is_empty());
    let changes = |v: &Vault| {
        event_kinds(v)
            .into_iter()
            .filter(|k| k == "state_changed")
            .count()
    };
    let recorded = changes(&v);
    assert!(recorded > 0, "the changes it saw are recorded");
    v.dashboard_index(later).expect("again");
    assert_eq!(changes(&v), recorded, "once");
    assert_eq!(v.record_state_changes(later).expect("listing").1, 0);
}
