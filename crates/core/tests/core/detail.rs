//! A client page's data: `Vault::client_credentials` returns only that client's credentials,
//! each with its versions and its own events, and refuses an unknown client.

use chrono::Duration;
use tokenkeeper_core::renewal::Decision;
use tokenkeeper_core::secrets::MemoryStore;
use tokenkeeper_core::testing::{KeyPair, PushCertificateSpec, TestCa, pem, random_topic};
use tokenkeeper_core::vault::Confirmation;
use tokenkeeper_core::{Kind, Portal, State, Vault};

use super::vault::{now, req};

fn push_cert(topic: &str, days: i64) -> Vec<u8> {
    pem(&PushCertificateSpec::new(topic)
        .expiring(now() + Duration::days(days))
        .issue(&TestCa::new(), KeyPair::shared(0)))
}

#[test]
fn client_credentials_carry_their_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = Vault::new(
        crate::open_db(&dir.path().join("tk.db")).unwrap(),
        Box::new(MemoryStore::default()),
    );
    for name in ["Acme", "Globex"] {
        vault.add_client(name, Portal::Business, "", now()).unwrap();
    }
    let topic = random_topic();
    let first = vault
        .import(
            &req("Acme", push_cert(&topic, 20)),
            Confirmation::default(),
            now(),
        )
        .unwrap();
    let renewed = vault
        .import(
            &req("Acme", push_cert(&topic, 385)),
            Confirmation::default(),
            now(),
        )
        .unwrap();
    assert_eq!(
        renewed.plan.decision,
        Decision::Renew {
            uid: first.uid.clone()
        }
    );
    vault
        .import(
            &req("Globex", push_cert(&random_topic(), 200)),
            Confirmation::default(),
            now(),
        )
        .unwrap();

    let acme = vault.client_credentials("acme", now()).unwrap();
    assert_eq!(acme.len(), 1, "only Acme's credential");
    let card = &acme[0];
    assert_eq!(card.summary.uid, first.uid);
    assert_eq!(card.summary.kind, Kind::PushCertificate);
    assert_eq!(card.summary.status.state, State::Active);
    assert_eq!(
        card.versions.iter().map(|v| v.revision).collect::<Vec<_>>(),
        vec![2, 1]
    );
    let kinds: Vec<&str> = card.events.iter().map(|e| e.kind.id()).collect();
    assert_eq!(kinds, vec!["renewed", "imported"]);
    assert!(
        card.events
            .iter()
            .all(|e| e.credential_uid.as_deref() == Some(first.uid.as_str()))
    );

    let err = vault.client_credentials("Initech", now()).unwrap_err();
    assert_eq!(err.kind(), "not_found");
}
