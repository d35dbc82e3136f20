#![allow(clippy::unwrap_used)]

use chrono::TimeZone;

use super::*;
use crate::secrets::SecretStore;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 6, 9, 0, 0).unwrap()
}

/// One shared team database (a file: each member opens connections of their own).
struct Team {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

impl Team {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("team.db");
        Self { _dir: dir, path }
    }
    fn db(&self) -> Db {
        Db::open(&self.path).unwrap()
    }
    fn store(&self, key: &MemberKey) -> Result<TeamSecrets> {
        TeamSecrets::open(self.db(), MemberKey::from_secret(&key.to_secret()).unwrap())
    }
}

#[test]
fn a_member_added_reads_what_was_shared_before_and_a_removed_one_reads_nothing_new() {
    let team = Team::new();
    let (alice, bob) = (MemberKey::generate(), MemberKey::generate());
    start(&mut team.db(), "Alice", &alice, now()).unwrap();
    assert!(team.store(&bob).is_err(), "not a member yet");
    let mine = team.store(&alice).unwrap();
    mine.put("acme/key", b"-----BEGIN PRIVATE KEY----- alice's")
        .unwrap();

    let added = add(
        &mut team.db(),
        &alice,
        "Alice",
        "Bob",
        &bob.recipient(),
        now(),
    )
    .unwrap();
    assert_eq!(added.added_by.as_deref(), Some("Alice"));
    let bobs = team.store(&bob).unwrap();
    assert_eq!(
        bobs.get("acme/key").unwrap().unwrap().as_slice(),
        b"-----BEGIN PRIVATE KEY----- alice's"
    );
    bobs.put("globex/token", b"bob's token").unwrap();
    assert_eq!(
        mine.get("globex/token").unwrap().unwrap().as_slice(),
        b"bob's token"
    );

    let removal = remove(&mut team.db(), &alice, "Alice", "bob", now()).unwrap();
    assert_eq!(removal.member.name, "Bob");
    assert_eq!(removal.rewrapped, 2);
    mine.put("initech/key", b"after bob left").unwrap();
    // Bob's old store still has his key: nothing shared now opens with it.
    let e = bobs.get("initech/key").unwrap_err();
    assert!(
        e.to_string().contains("not readable with your team key"),
        "{e}"
    );
    assert!(bobs.get("acme/key").is_err(), "re-encrypted without him");
    assert!(team.store(&bob).is_err(), "no longer a member");
    assert_eq!(members(&team.db().sql()).unwrap().len(), 1, "Alice alone");
}

#[test]
fn the_database_holds_no_secret_and_names_every_member_by_fingerprint() {
    let team = Team::new();
    let alice = MemberKey::generate();
    start(&mut team.db(), "Alice", &alice, now()).unwrap();
    let store = team.store(&alice).unwrap();
    store.put("acme/key", b"TOP-SECRET-MARKER").unwrap();
    drop(store);
    let bytes = std::fs::read(&team.path).unwrap();
    let wal = std::fs::read(format!("{}-wal", team.path.display())).unwrap_or_default();
    for b in [bytes, wal] {
        assert!(!b.windows(17).any(|w| w == b"TOP-SECRET-MARKER"));
        assert!(!b.windows(14).any(|w| w == b"AGE-SECRET-KEY"));
    }
    let m = &members(&team.db().sql()).unwrap()[0];
    assert_eq!(m.fingerprint, fingerprint(&alice.recipient()));
    assert_eq!(m.fingerprint.len(), 24, "five groups of four");
}

#[test]
fn team_changes_are_refused_with_reasons() {
    let team = Team::new();
    let (alice, eve) = (MemberKey::generate(), MemberKey::generate());
    start(&mut team.db(), "Alice", &alice, now()).unwrap();
    let again = start(&mut team.db(), "Alice 2", &eve, now()).unwrap_err();
    assert_eq!(again.kind(), "already_exists");
    let bad = add(
        &mut team.db(),
        &alice,
        "Alice",
        "Bob",
        "age1nonsense",
        now(),
    )
    .unwrap_err();
    assert!(
        bad.to_string().contains("not a team member's public key"),
        "{bad}"
    );
    let twice = add(
        &mut team.db(),
        &alice,
        "Alice",
        "alice",
        &eve.recipient(),
        now(),
    );
    assert_eq!(twice.unwrap_err().kind(), "already_exists");
    let last = remove(&mut team.db(), &alice, "Alice", "Alice", now()).unwrap_err();
    assert!(last.to_string().contains("last member"), "{last}");
    // Someone who is not a member cannot add anyone once there is a secret to re-encrypt.
    team.store(&alice).unwrap().put("acme/key", b"x").unwrap();
    let outsider = add(&mut team.db(), &eve, "Eve", "Eve", &eve.recipient(), now()).unwrap_err();
    assert_eq!(outsider.kind(), "keychain_unavailable");
    assert_eq!(
        members(&team.db().sql()).unwrap().len(),
        1,
        "nothing half-done"
    );
}

#[test]
fn removal_names_what_the_member_could_have_copied() {
    use crate::summary::Portal;
    use crate::testing::ContentTokenSpec;
    use crate::vault::{Confirmation, ImportRequest, Vault};
    let team = Team::new();
    let (alice, bob) = (MemberKey::generate(), MemberKey::generate());
    start(&mut team.db(), "Alice", &alice, now()).unwrap();
    add(
        &mut team.db(),
        &alice,
        "Alice",
        "Bob",
        &bob.recipient(),
        now(),
    )
    .unwrap();
    let mut vault = Vault::new(team.db(), Box::new(team.store(&alice).unwrap()));
    vault
        .add_client("Acme", Portal::Business, "", now())
        .unwrap();
    let token = ContentTokenSpec::new("Acme Inc", now() + chrono::Duration::days(200)).build();
    vault
        .import(
            &ImportRequest {
                client: "Acme".into(),
                bytes: token,
                file_name: None,
                key: None,
                label: None,
                apple_account: None,
                expires_at: None,
            },
            Confirmation::default(),
            now(),
        )
        .unwrap();
    let removal = remove(&mut team.db(), &alice, "Alice", "Bob", now()).unwrap();
    assert_eq!(removal.exposed.len(), 1, "{:?}", removal.exposed);
    let e = &removal.exposed[0];
    assert_eq!(e.client.as_deref(), Some("Acme"));
    assert!(e.what.contains("content token"), "{}", e.what);
    assert!(
        e.rotate.contains("download the token again"),
        "{}",
        e.rotate
    );
}

#[test]
fn a_vault_moved_into_a_team_database_arrives_whole_and_its_secrets_encrypted() {
    use crate::secrets::MemoryStore;
    use crate::summary::Portal;
    use crate::testing::{ContentTokenSpec, KeyPair, PushCertificateSpec, TestCa, pem};
    use crate::vault::{Confirmation, EventFilter, ImportRequest, Vault};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let keychain = Arc::new(MemoryStore::new());
    let mut own = Vault::new(
        Db::open(&dir.path().join("own.db")).unwrap(),
        Box::new(keychain.clone()),
    );
    let mut uids = Vec::new();
    for (i, client) in ["Acme", "Globex", "Initech"].into_iter().enumerate() {
        own.add_client(client, Portal::Business, "notes", now())
            .unwrap();
        let days = 100 + i64::try_from(i).unwrap();
        for bytes in [
            ContentTokenSpec::new(
                &format!("{client} Inc"),
                now() + chrono::Duration::days(days),
            )
            .build(),
            pem(&PushCertificateSpec::new(&format!(
                "com.apple.mgmt.External.{i:08}-1111-2222-3333-444455556666"
            ))
            .expiring(now() + chrono::Duration::days(days))
            .issue(&TestCa::new(), KeyPair::shared(0))),
        ] {
            let key = bytes
                .starts_with(b"-----BEGIN CERTIFICATE")
                .then(|| zeroize::Zeroizing::new(KeyPair::shared(0).pkcs8_pem()));
            let has_key = key.is_some();
            let out = own
                .import(
                    &ImportRequest {
                        client: client.into(),
                        bytes,
                        key,
                        ..ImportRequest::default()
                    },
                    Confirmation::default(),
                    now(),
                )
                .unwrap();
            uids.push((out.uid, has_key));
        }
    }
    let before = own.summaries(now()).unwrap();
    let events_before = own.events(&EventFilter::default()).unwrap();

    let team = Team::new();
    let alice = MemberKey::generate();
    start(&mut team.db(), "Alice", &alice, now()).unwrap();
    let shared = team.store(&alice).unwrap();
    let report = copy_vault(own_db(&dir), keychain.as_ref(), &mut team.db(), &shared).unwrap();
    assert_eq!((report.clients, report.credentials), (3, 6));
    assert_eq!(report.events, events_before.len() as u64);
    assert_eq!(
        report.secrets, 6,
        "3 content tokens and 3 push certificates' keys"
    );

    let mut moved = Vault::new(team.db(), Box::new(team.store(&alice).unwrap()));
    assert_eq!(
        serde_json::to_value(moved.summaries(now()).unwrap()).unwrap(),
        serde_json::to_value(&before).unwrap()
    );
    assert_eq!(
        moved.events(&EventFilter::default()).unwrap(),
        events_before
    );
    for (uid, _) in uids.iter().filter(|(_, push)| !push) {
        assert_eq!(
            moved.read_secret(uid, now()).unwrap(),
            own.read_secret(uid, now()).unwrap()
        );
    }
    // New rows draw ids after the copied ones.
    moved
        .add_client("Umbrella", Portal::School, "", now())
        .unwrap();
    assert_eq!(moved.clients().unwrap().len(), 4);
    // A second copy is refused: the team database is not empty any more.
    let again = copy_vault(own_db(&dir), keychain.as_ref(), &mut team.db(), &shared);
    assert_eq!(again.unwrap_err().kind(), "not_empty");
}

fn own_db(dir: &tempfile::TempDir) -> &'static Db {
    Box::leak(Box::new(Db::open(&dir.path().join("own.db")).unwrap()))
}

#[test]
fn every_event_records_the_member_who_made_the_change() {
    use crate::secrets::MemoryStore;
    use crate::summary::Portal;
    use crate::vault::{EventFilter, Vault};
    let team = Team::new();
    let mut db = team.db();
    db.set_actor(Some("Alice".to_owned()));
    let mut alices = Vault::new(db, Box::new(MemoryStore::new()));
    alices
        .add_client("Acme", Portal::Business, "", now())
        .unwrap();
    let mut own = Vault::new(team.db(), Box::new(MemoryStore::new()));
    own.add_client("Globex", Portal::Business, "", now())
        .unwrap();
    let events = own.events(&EventFilter::default()).unwrap();
    let by = |client: &str| {
        events
            .iter()
            .find(|e| e.client.as_deref() == Some(client))
            .map(|e| e.actor.clone())
    };
    assert_eq!(by("Acme"), Some(Some("Alice".to_owned())));
    assert_eq!(
        by("Globex"),
        Some(None),
        "one technician's own vault names nobody"
    );
    let json = serde_json::to_value(&events).unwrap();
    assert!(json.to_string().contains(r#""actor":"Alice""#));
}
