use chrono::TimeZone;

use super::*;

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
