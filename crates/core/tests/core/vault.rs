//! The vault on a real SQLite file: every renewal rule refuses, warns or accepts as DOMAIN.md
//! says; imports are atomic when the keychain or the database fails; stored secrets are checked;
//! nothing secret reaches the database file.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Shared;
use chrono::{DateTime, Duration, TimeZone, Utc};
use tokenkeeper_core::renewal::{Decision, WarningKind};
use tokenkeeper_core::secrets::SecretStore;
use tokenkeeper_core::testing::{
    CONTENT_SECRET_MARKER, ContentTokenSpec, KeyPair, PushCertificateSpec, SECRET_MARKERS,
    ServerTokenSpec, TestCa, abm_certificate, pem, random_topic,
};
use tokenkeeper_core::vault::{Confirmation, EventFilter, ImportRequest};
use tokenkeeper_core::{Error, Portal, State, Vault};
use zeroize::Zeroizing;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
}

/// The secret store the tests use: the real OS keychain when the harness provides one.
pub fn store() -> Arc<dyn SecretStore> {
    super::keychain_store()
}

/// A store that fails its n-th `put` (counting from 1), to prove imports are atomic.
struct FailingStore {
    inner: Arc<dyn SecretStore>,
    fail_on_put: usize,
    puts: AtomicUsize,
}

impl SecretStore for FailingStore {
    fn put(&self, account: &str, secret: &[u8]) -> tokenkeeper_core::Result<()> {
        if self.puts.fetch_add(1, Ordering::SeqCst) + 1 == self.fail_on_put {
            return Err(Error::KeychainUnavailable {
                detail: "injected failure".to_owned(),
            });
        }
        self.inner.put(account, secret)
    }
    fn get(&self, account: &str) -> tokenkeeper_core::Result<Option<Zeroizing<Vec<u8>>>> {
        self.inner.get(account)
    }
    fn delete(&self, account: &str) -> tokenkeeper_core::Result<()> {
        self.inner.delete(account)
    }
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub vault: Vault,
    pub secrets: Arc<dyn SecretStore>,
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let secrets = store();
        let vault = Vault::new(
            crate::open_db(&dir.path().join("tk.db")).unwrap(),
            Box::new(Shared(secrets.clone())),
        );
        Self {
            dir,
            vault,
            secrets,
        }
    }

    fn db_path(&self) -> PathBuf {
        self.dir.path().join("tk.db")
    }

    /// The keychain account the credential's secret is stored under.
    fn secret_ref(&self, uid: &str) -> String {
        let db = crate::open_db(&self.db_path()).unwrap();
        db.sql()
            .query_row(
                "SELECT secret_ref FROM credentials WHERE uid = ?1",
                tokenkeeper_core::args![uid],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn reopen_with(&mut self, store: Box<dyn SecretStore>) {
        self.vault = Vault::new(crate::open_db(&self.db_path()).unwrap(), store);
    }

    fn client(&mut self, name: &str) {
        self.vault
            .add_client(name, Portal::Business, "", now())
            .unwrap();
    }

    fn import(
        &mut self,
        client: &str,
        bytes: Vec<u8>,
    ) -> tokenkeeper_core::Result<tokenkeeper_core::vault::ImportOutcome> {
        self.import_with(req(client, bytes), Confirmation::default())
    }

    fn import_with(
        &mut self,
        r: ImportRequest,
        c: Confirmation,
    ) -> tokenkeeper_core::Result<tokenkeeper_core::vault::ImportOutcome> {
        self.vault.import(&r, c, now())
    }

    /// Everything a user could see of the stored data, to prove a failure changed nothing.
    fn snapshot(&self) -> String {
        let rows = self.vault.summaries(now()).unwrap();
        let mut out = format!("{rows:?}");
        for r in &rows {
            out.push_str(&format!("{:?}", self.vault.versions(&r.uid).unwrap()));
        }
        out
    }
}

pub fn req(client: &str, bytes: Vec<u8>) -> ImportRequest {
    ImportRequest {
        client: client.to_owned(),
        bytes,
        ..Default::default()
    }
}

fn yes() -> Confirmation {
    Confirmation {
        confirmed: true,
        accept_new_identity: false,
    }
}

fn push_cert(topic: &str, expires: DateTime<Utc>, key: &KeyPair) -> Vec<u8> {
    pem(&PushCertificateSpec::new(topic)
        .expiring(expires)
        .issue(&TestCa::new(), key))
}

#[test]
fn apns_same_topic_renews_and_keeps_history() {
    let mut env = Env::new();
    env.client("Acme");
    let topic = random_topic();
    let key = KeyPair::shared(0);
    let first = env
        .import("Acme", push_cert(&topic, now() + Duration::days(20), key))
        .unwrap();
    assert!(matches!(first.plan.decision, Decision::New { .. }));
    let second = env
        .import("acme", push_cert(&topic, now() + Duration::days(385), key))
        .unwrap();
    assert_eq!(
        second.plan.decision,
        Decision::Renew {
            uid: first.uid.clone()
        }
    );
    assert_eq!(second.revision, 2);
    let before = second.plan.before.as_ref().unwrap();
    assert_eq!(before.expires_at, Some(now() + Duration::days(20)));
    assert_eq!(
        second.plan.after.expires_at,
        Some(now() + Duration::days(385))
    );
    let history = env.vault.versions(&first.uid).unwrap();
    assert_eq!(
        history.iter().map(|v| v.revision).collect::<Vec<_>>(),
        vec![2, 1]
    );
    let rows = env.vault.summaries(now()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status.state, State::Active);
    assert_eq!(rows[0].revision, 2);
}

#[test]
fn apns_new_topic_is_refused_unless_explicitly_accepted() {
    let mut env = Env::new();
    env.client("Acme");
    let key = KeyPair::shared(0);
    let old_topic = random_topic();
    let mut r = req(
        "Acme",
        push_cert(&old_topic, now() + Duration::days(10), key),
    );
    r.apple_account = Some("mdm@acme.example".to_owned());
    env.import_with(r, Confirmation::default()).unwrap();
    let before = env.snapshot();
    let new_file = push_cert(&random_topic(), now() + Duration::days(375), key);
    for c in [Confirmation::default(), yes()] {
        let e = env
            .import_with(req("Acme", new_file.clone()), c)
            .unwrap_err();
        assert_eq!(e.kind(), "identity_changed");
        let msg = e.to_string();
        assert!(
            msg.contains("not a renewal") && msg.contains("re-enroll"),
            "{msg}"
        );
        assert!(
            msg.contains(&format!("Renew the row whose topic is {old_topic}")),
            "{msg}"
        );
        assert!(msg.contains("mdm@acme.example"), "{msg}");
    }
    assert_eq!(env.snapshot(), before, "a refusal changes nothing");
    let refused = env
        .vault
        .events(&EventFilter {
            kinds: vec!["refused".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(refused.len(), 2);

    let accept = Confirmation {
        confirmed: false,
        accept_new_identity: true,
    };
    let out = env.import_with(req("Acme", new_file), accept).unwrap();
    assert_eq!(out.plan.warnings[0].kind, WarningKind::NewTopic);
    let accepted = env
        .vault
        .events(&EventFilter {
            kinds: vec!["warning_accepted".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(accepted.len(), 1);
    assert!(accepted[0].message.contains("not a renewal"));
}

#[test]
fn apns_certificate_must_match_the_key_on_record() {
    let mut env = Env::new();
    env.client("Acme");
    let topic = random_topic();
    let key = KeyPair::shared(0);
    let mut r = req("Acme", push_cert(&topic, now() + Duration::days(10), key));
    r.key = Some(Zeroizing::new(key.pkcs8_pem()));
    env.import_with(r, Confirmation::default()).unwrap();
    // Renewed from another CSR: refused.
    let e = env
        .import(
            "Acme",
            push_cert(&topic, now() + Duration::days(375), KeyPair::shared(1)),
        )
        .unwrap_err();
    assert_eq!(e.kind(), "key_mismatch");
    // A key given that does not match the certificate: refused.
    let mut r = req("Acme", push_cert(&topic, now() + Duration::days(375), key));
    r.key = Some(Zeroizing::new(KeyPair::shared(2).pkcs8_pem()));
    assert_eq!(
        env.import_with(r, Confirmation::default())
            .unwrap_err()
            .kind(),
        "key_mismatch"
    );
    // The right CSR: accepted.
    env.import("Acme", push_cert(&topic, now() + Duration::days(375), key))
        .unwrap();
}

#[test]
fn same_file_again_is_a_no_op_and_older_file_is_refused() {
    let mut env = Env::new();
    env.client("Acme");
    let topic = random_topic();
    let key = KeyPair::shared(0);
    let old = push_cert(&topic, now() + Duration::days(10), key);
    let new = push_cert(&topic, now() + Duration::days(375), key);
    env.import("Acme", old.clone()).unwrap();
    env.import("Acme", new.clone()).unwrap();
    let before = env.snapshot();
    let again = env.import("Acme", new).unwrap();
    assert!(matches!(
        again.plan.decision,
        Decision::AlreadyOnRecord { .. }
    ));
    assert_eq!(again.revision, 2);
    let e = env.import("Acme", old).unwrap_err();
    assert_eq!(e.kind(), "older_file");
    assert!(e.to_string().contains("older download"), "{e}");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_push_certificate_of_another_client_is_a_duplicate() {
    let mut env = Env::new();
    env.client("Acme");
    env.client("Globex");
    let topic = random_topic();
    env.import(
        "Acme",
        push_cert(&topic, now() + Duration::days(10), KeyPair::shared(0)),
    )
    .unwrap();
    let e = env
        .import(
            "Globex",
            push_cert(&topic, now() + Duration::days(375), KeyPair::shared(0)),
        )
        .unwrap_err();
    assert_eq!(e.kind(), "duplicate");
    assert!(e.to_string().contains("Acme"), "{e}");
}

fn ade(ck: &str, expires: DateTime<Utc>, cert: &openssl::x509::X509) -> Vec<u8> {
    ServerTokenSpec::new(ck, expires).build(cert)
}

#[test]
fn ade_same_consumer_key_renews_with_the_key_on_record() {
    let mut env = Env::new();
    env.client("Acme");
    let key = KeyPair::shared(1);
    let cert = abm_certificate(key, "Acme MDM", 12);
    let mut r = req("Acme", ade("CK_acme", now() + Duration::days(5), &cert));
    r.key = Some(Zeroizing::new(key.pkcs1_pem()));
    r.label = Some("Cupertino ABM".to_owned());
    let first = env.import_with(r, Confirmation::default()).unwrap();
    assert_eq!(first.plan.label, "Cupertino ABM");
    // No key given this time: the key on record decrypts it.
    let second = env
        .import("Acme", ade("CK_acme", now() + Duration::days(370), &cert))
        .unwrap();
    assert_eq!(
        second.plan.decision,
        Decision::Renew {
            uid: first.uid.clone()
        }
    );
    assert!(second.plan.decrypted);
    assert_eq!(
        second.plan.after.expires_at,
        Some(now() + Duration::days(370))
    );
    assert!(second.plan.warnings.is_empty());
}

#[test]
fn ade_another_consumer_key_is_a_warning_to_confirm() {
    let mut env = Env::new();
    env.client("Acme");
    let key = KeyPair::shared(1);
    let cert = abm_certificate(key, "Acme MDM", 12);
    let mut r = req("Acme", ade("CK_one", now() + Duration::days(5), &cert));
    r.key = Some(Zeroizing::new(key.pkcs1_pem()));
    let first = env.import_with(r, Confirmation::default()).unwrap();
    let before = env.snapshot();
    let other = ade("CK_two", now() + Duration::days(370), &cert);
    let plan = env
        .vault
        .plan_import(&req("Acme", other.clone()), now())
        .unwrap();
    assert_eq!(plan.warnings.len(), 1);
    assert_eq!(plan.warnings[0].kind, WarningKind::IdentityChanged);
    assert!(
        plan.warnings[0]
            .message
            .contains("another ABM administrator")
    );
    let e = env.import("Acme", other.clone()).unwrap_err();
    assert_eq!(e.kind(), "confirmation_required");
    assert_eq!(env.snapshot(), before);
    let out = env.import_with(req("Acme", other), yes()).unwrap();
    assert_eq!(out.plan.decision, Decision::Renew { uid: first.uid });
    assert_eq!(out.plan.after.identity, "CK_two");
}

#[test]
fn ade_without_key_is_known_by_its_recipient() {
    let mut env = Env::new();
    env.client("Acme");
    let cert = abm_certificate(KeyPair::shared(2), "Hosted MDM", 99);
    let mut r = req("Acme", ade("CK_h", now() + Duration::days(100), &cert));
    r.expires_at = Some(now() + Duration::days(100));
    let first = env.import_with(r, Confirmation::default()).unwrap();
    assert!(!first.plan.decrypted);
    assert!(first.plan.after.identity.contains("CN=Hosted MDM"));
    // The next download, for the same MDM server (same certificate): a renewal.
    let second = env
        .import("Acme", ade("CK_h", now() + Duration::days(400), &cert))
        .unwrap();
    assert_eq!(
        second.plan.decision,
        Decision::Renew {
            uid: first.uid.clone()
        }
    );
    assert_eq!(second.plan.after.expires_at, None);
    let rows = env.vault.summaries(now()).unwrap();
    assert_eq!(
        rows[0].status.state,
        State::Error,
        "unknown expiry must not look healthy"
    );
    // A token made for another MDM server's certificate: a warning.
    let other = abm_certificate(KeyPair::shared(3), "Other MDM", 5);
    let plan = env
        .vault
        .plan_import(&req("Acme", ade("CK_o", now(), &other)), now())
        .unwrap();
    assert_eq!(plan.warnings[0].kind, WarningKind::IdentityChanged);
}

#[test]
fn ade_wrong_key_names_the_recipient() {
    let mut env = Env::new();
    env.client("Acme");
    let cert = abm_certificate(KeyPair::shared(1), "Server A", 0x1f);
    let mut r = req("Acme", ade("CK_a", now(), &cert));
    r.key = Some(Zeroizing::new(KeyPair::shared(2).pkcs1_pem()));
    let e = env.import_with(r, Confirmation::default()).unwrap_err();
    assert_eq!(e.kind(), "wrong_key");
    assert!(e.to_string().contains("CN=Server A (serial 1f)"));
    assert!(env.vault.summaries(now()).unwrap().is_empty());
}

#[test]
fn apps_and_books_one_token_per_location() {
    let mut env = Env::new();
    env.client("Acme");
    let t = |days: i64| ContentTokenSpec::new("Acme Inc", now() + Duration::days(days)).build();
    let mut r = req("Acme", t(10));
    r.label = Some("Main Street".into());
    let main = env.import_with(r, Confirmation::default()).unwrap();
    // Same organisation, no label: renews the only location.
    let renewed = env.import("Acme", t(375)).unwrap();
    assert_eq!(
        renewed.plan.decision,
        Decision::Renew {
            uid: main.uid.clone()
        }
    );
    // A second location for the same organisation: never silently beside it.
    let mut r = req("Acme", t(380));
    r.label = Some("Harbour".into());
    let before = env.snapshot();
    let e = env.import_with(r, Confirmation::default()).unwrap_err();
    assert_eq!(e.kind(), "duplicate");
    assert!(e.to_string().contains("renew it instead"), "{e}");
    assert_eq!(env.snapshot(), before);
    let mut r = req("Acme", t(380));
    r.label = Some("Harbour".into());
    let harbour = env.import_with(r, yes()).unwrap();
    assert!(matches!(harbour.plan.decision, Decision::New { .. }));
    // Now two locations: a token without a label is ambiguous.
    let e = env.import("Acme", t(390)).unwrap_err();
    assert_eq!(e.kind(), "ambiguous");
    let mut r = req("Acme", t(390));
    r.label = Some("harbour".into());
    let out = env.import_with(r, Confirmation::default()).unwrap();
    assert_eq!(out.plan.decision, Decision::Renew { uid: harbour.uid });
    // The same file for another client: duplicate.
    env.client("Globex");
    let e = env.import("Globex", t(390)).unwrap_err();
    assert_eq!(e.kind(), "duplicate");
}

#[test]
fn keychain_failure_leaves_the_database_untouched() {
    let mut env = Env::new();
    env.client("Acme");
    let t = |days: i64| ContentTokenSpec::new("Acme Inc", now() + Duration::days(days)).build();
    env.import("Acme", t(10)).unwrap();
    let before = env.snapshot();
    let failing = FailingStore {
        inner: env.secrets.clone(),
        fail_on_put: 1,
        puts: AtomicUsize::new(0),
    };
    env.reopen_with(Box::new(failing));
    let e = env.import("Acme", t(375)).unwrap_err();
    assert_eq!(e.kind(), "keychain_unavailable");
    assert!(e.to_string().contains("nothing was saved"));
    assert_eq!(env.snapshot(), before);
    // The credential's secret still reads back intact.
    let uid = env.vault.summaries(now()).unwrap()[0].uid.clone();
    env.vault.read_secret(&uid, now()).unwrap();

    // Second write fails (token + key): the first one is removed again.
    let key = KeyPair::shared(1);
    let cert = abm_certificate(key, "Atomic", 3);
    let mut r = req("Acme", ade("CK_atomic", now() + Duration::days(30), &cert));
    r.key = Some(Zeroizing::new(key.pkcs1_pem()));
    let failing = FailingStore {
        inner: env.secrets.clone(),
        fail_on_put: 2,
        puts: AtomicUsize::new(0),
    };
    env.reopen_with(Box::new(failing));
    assert_eq!(
        env.import_with(r, Confirmation::default())
            .unwrap_err()
            .kind(),
        "keychain_unavailable"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn database_failure_removes_the_new_keychain_entries() {
    let mut env = Env::new();
    env.client("Acme");
    let first = env
        .import(
            "Acme",
            ContentTokenSpec::new("Acme Inc", now() + Duration::days(10)).build(),
        )
        .unwrap();
    let before = env.snapshot();
    // Inject a failure inside the import's transaction, after the keychain writes.
    crate::backend::fail_inserts_into(&env.db_path(), "versions");
    let renewal = ContentTokenSpec::new("Acme Inc", now() + Duration::days(375)).build();
    let e = env.import("Acme", renewal).unwrap_err();
    assert_eq!(e.kind(), "database");
    assert_eq!(env.snapshot(), before);
    // The staged entry (revision 2) is gone, journal row and all; revision 1's secret is intact.
    let staged: i64 = crate::open_db(&env.db_path())
        .unwrap()
        .sql()
        .query_row(
            "SELECT count(*) FROM staged_secrets",
            tokenkeeper_core::args![],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(staged, 0);
    assert!(env.vault.read_secret(&first.uid, now()).is_ok());
}

#[test]
fn a_secret_changed_outside_is_an_error() {
    let mut env = Env::new();
    env.client("Acme");
    let out = env
        .import(
            "Acme",
            ContentTokenSpec::new("Acme Inc", now() + Duration::days(100)).build(),
        )
        .unwrap();
    env.secrets
        .put(&env.secret_ref(&out.uid), b"something else")
        .unwrap();
    let e = env.vault.read_secret(&out.uid, now()).unwrap_err();
    assert_eq!(e.kind(), "tampered");
    let row = &env.vault.summaries(now()).unwrap()[0];
    assert_eq!(row.status.state, State::Error);
    assert_eq!(
        row.status.reason.as_deref(),
        Some("stored token changed outside TokenKeeper: import the file again")
    );
    // Removed from the keychain: also an error.
    env.secrets.delete(&env.secret_ref(&out.uid)).unwrap();
    let problems = env.vault.verify_secrets(now()).unwrap();
    assert_eq!(problems.len(), 1);
}

#[test]
fn no_secret_reaches_the_database_file() {
    let mut env = Env::new();
    env.client("Acme");
    let key = KeyPair::shared(1);
    let cert = abm_certificate(key, "Leak check", 1);
    let mut r = req("Acme", ade("CK_leak", now() + Duration::days(30), &cert));
    r.key = Some(Zeroizing::new(key.pkcs1_pem()));
    env.import_with(r, Confirmation::default()).unwrap();
    let vpp = ContentTokenSpec::new("Acme Inc", now() + Duration::days(30)).build();
    env.import("Acme", vpp.clone()).unwrap();
    let mut r = req(
        "Acme",
        push_cert(
            &random_topic(),
            now() + Duration::days(30),
            KeyPair::shared(0),
        ),
    );
    r.key = Some(Zeroizing::new(KeyPair::shared(0).pkcs8_pem()));
    env.import_with(r, Confirmation::default()).unwrap();
    let bytes = crate::backend::stored_bytes(&env.db_path());
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    for secret in SECRET_MARKERS.iter().chain([&CONTENT_SECRET_MARKER]) {
        assert!(
            !contains(secret.as_bytes()),
            "{secret} is in the database file"
        );
    }
    assert!(!contains(
        std::str::from_utf8(&vpp).unwrap().trim().as_bytes()
    ));
    assert!(!contains(b"PRIVATE KEY"));
    // The private key's modulus bytes (DER) are not there either.
    let d = KeyPair::shared(1).pkey.rsa().unwrap().d().to_vec();
    assert!(!contains(&d[..32]));
    assert!(
        contains(b"CK_leak"),
        "the consumer key is public identity and is stored"
    );
}

#[test]
fn state_changes_are_recorded_once() {
    let mut env = Env::new();
    env.client("Acme");
    env.import(
        "Acme",
        push_cert(
            &random_topic(),
            now() + Duration::days(40),
            KeyPair::shared(0),
        ),
    )
    .unwrap();
    let (_, changed) = env.vault.record_state_changes(now()).unwrap();
    assert_eq!(changed, 0);
    let later = now() + Duration::days(15);
    let (rows, changed) = env.vault.record_state_changes(later).unwrap();
    assert_eq!((rows[0].status.state, changed), (State::RenewalRequired, 1));
    assert_eq!(env.vault.record_state_changes(later).unwrap().1, 0);
    let events = env
        .vault
        .events(&EventFilter {
            client: Some("ACME".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(events[0].kind, "state_changed");
    assert_eq!(events[0].message, "now Renewal Required");
}

#[test]
fn clients_are_unique_and_removal_cleans_the_keychain() {
    let mut env = Env::new();
    env.client("Acme");
    assert_eq!(
        env.vault
            .add_client("acme ", Portal::School, "", now())
            .unwrap_err()
            .kind(),
        "already_exists"
    );
    assert_eq!(
        env.vault
            .add_client("  ", Portal::School, "", now())
            .unwrap_err()
            .kind(),
        "invalid_input"
    );
    let out = env
        .import(
            "Acme",
            ContentTokenSpec::new("Acme Inc", now() + Duration::days(100)).build(),
        )
        .unwrap();
    let account = env.secret_ref(&out.uid);
    assert!(env.secrets.get(&account).unwrap().is_some());
    env.vault.remove_client("ACME", now()).unwrap();
    assert!(env.secrets.get(&account).unwrap().is_none());
    assert!(env.vault.summaries(now()).unwrap().is_empty());
    let events = env.vault.events(&EventFilter::default()).unwrap();
    assert_eq!(events[0].kind, "client_removed");
    assert_eq!(env.import("Acme", vec![]).unwrap_err().kind(), "not_found");
}

#[test]
fn urgency_order_and_thresholds() {
    let mut env = Env::new();
    env.client("B client");
    env.client("A client");
    let key = KeyPair::shared(0);
    for (client, days) in [
        ("B client", 200),
        ("A client", -40),
        ("B client", 12),
        ("A client", -3),
    ] {
        let mut r = req(
            client,
            push_cert(&random_topic(), now() + Duration::days(days), key),
        );
        r.label = Some(format!("cert {days}"));
        env.import_with(r, yes()).unwrap();
    }
    let states: Vec<(State, Option<i64>)> = env
        .vault
        .summaries(now())
        .unwrap()
        .iter()
        .map(|s| (s.status.state, s.status.days_left))
        .collect();
    assert_eq!(
        states,
        vec![
            (State::Lapsed, Some(-40)),
            (State::Expired, Some(-3)),
            (State::RenewalRequired, Some(12)),
            (State::Active, Some(200))
        ]
    );
    env.vault
        .set_thresholds(
            tokenkeeper_core::Thresholds {
                renewal_window_days: 250,
                grace_days: 60,
            },
            now(),
        )
        .unwrap();
    let states: Vec<State> = env
        .vault
        .summaries(now())
        .unwrap()
        .iter()
        .map(|s| s.status.state)
        .collect();
    assert_eq!(
        states,
        vec![
            State::Expired,
            State::Expired,
            State::RenewalRequired,
            State::RenewalRequired
        ]
    );
}

#[test]
fn reminders_survive_a_restart_and_restart_after_renewal() {
    let mut env = Env::new();
    env.client("Acme");
    let topic = random_topic();
    let key = KeyPair::shared(0);
    env.import("Acme", push_cert(&topic, now() + Duration::days(10), key))
        .unwrap();
    let n = env
        .vault
        .pending_notification(now())
        .unwrap()
        .expect("due: 10 days left");
    assert_eq!(n.reminders[0].milestone, "before-14");
    assert!(n.title.starts_with("Acme: APNs certificate"), "{}", n.title);
    assert!(n.title.ends_with("expires in 10 days"), "{}", n.title);
    env.vault.mark_notified(&n, now()).unwrap();
    // Restart: a new vault on the same file remembers what was sent.
    env.reopen_with(Box::new(Shared(env.secrets.clone())));
    assert!(
        env.vault
            .pending_notification(now() + Duration::hours(5))
            .unwrap()
            .is_none()
    );
    assert_eq!(
        env.vault.next_reminder_at(now()).unwrap(),
        Some(now() + Duration::days(3))
    );
    // Snoozed for a day: nothing, and the scheduler wakes at the end of the snooze at the earliest.
    let later = now() + Duration::days(3);
    env.vault
        .snooze_until(later + Duration::days(1), later)
        .unwrap();
    assert!(env.vault.pending_notification(later).unwrap().is_none());
    assert_eq!(
        env.vault.next_reminder_at(later).unwrap(),
        Some(later + Duration::days(1)),
        "the scheduler wakes when the snooze ends"
    );
    assert_eq!(
        env.vault
            .pending_notification(later + Duration::days(1))
            .unwrap()
            .unwrap()
            .reminders[0]
            .milestone,
        "before-7"
    );
    // A renewal starts the series afresh.
    env.import("Acme", push_cert(&topic, now() + Duration::days(20), key))
        .unwrap();
    let n = env
        .vault
        .pending_notification(later + Duration::days(1))
        .unwrap()
        .unwrap();
    assert_eq!(
        (n.reminders[0].revision, n.reminders[0].milestone.as_str()),
        (2, "before-30")
    );
    let sent = env
        .vault
        .events(&EventFilter {
            kinds: vec!["notification_sent".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(sent.len(), 1);
}
