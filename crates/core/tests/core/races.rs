//! Two writers on the same credential, interleaved at the worst moment (after one has decided
//! and before it writes), and the keychain journal that lets a sweep find what a killed attempt
//! left: on a real SQLite file and the real OS keychain.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use chrono::Duration;
use tokenkeeper_core::secrets::SecretStore;
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::Confirmation;
use tokenkeeper_core::{Error, Portal, STAGING_GRACE, Vault};
use zeroize::Zeroizing;

use super::Shared;
use super::vault::{now, req, store};

/// A store that, at its first `put` (the import has decided and is staging its secret), tells
/// the test and waits until the test lets it go on.
struct Paused {
    inner: Arc<dyn SecretStore>,
    reached: Mutex<Option<Sender<()>>>,
    resume: Mutex<Option<Receiver<()>>>,
}

impl SecretStore for Paused {
    fn put(&self, account: &str, secret: &[u8]) -> tokenkeeper_core::Result<()> {
        if let Some(reached) = self.reached.lock().unwrap().take() {
            reached.send(()).unwrap();
            if let Some(resume) = self.resume.lock().unwrap().take() {
                resume.recv().unwrap();
            }
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

fn token(days: i64) -> Vec<u8> {
    ContentTokenSpec::new("Main Street School", now() + Duration::days(days)).build()
}

fn staged_rows(path: &std::path::Path) -> Vec<(String, i64)> {
    crate::open_db(path)
        .unwrap()
        .sql()
        .query_map(
            "SELECT account, retired FROM staged_secrets ORDER BY account",
            tokenkeeper_core::args![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// A vault on a fresh file with the client Acme, and the store it shares.
fn acme() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Arc<dyn SecretStore>,
    Vault,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tk.db");
    let secrets = store();
    let mut vault = Vault::new(
        crate::open_db(&path).unwrap(),
        Box::new(Shared(secrets.clone())),
    );
    vault
        .add_client("Acme", Portal::Business, "", now())
        .unwrap();
    (dir, path, secrets, vault)
}

/// Renews the token with `slow` (paused once it has decided) while `fast` renews it with
/// `fast_file` in between; returns the slow one's result.
fn interleave(
    slow_file: Vec<u8>,
    fast_file: Vec<u8>,
) -> (tempfile::TempDir, tokenkeeper_core::Result<u32>, Vault) {
    interleave_with(req("Acme", slow_file), |fast| {
        let landed = fast
            .import(&req("Acme", fast_file), Confirmation::default(), now())
            .unwrap();
        assert_eq!(landed.revision, 2);
    })
}

/// Renews the token with a slow import paused once it has decided, runs `meanwhile` on another
/// connection, then lets the slow one write.
fn interleave_with(
    slow_import: tokenkeeper_core::vault::ImportRequest,
    meanwhile: impl FnOnce(&mut Vault),
) -> (tempfile::TempDir, tokenkeeper_core::Result<u32>, Vault) {
    let (dir, path, secrets, mut fast) = acme();
    fast.import(&req("Acme", token(100)), Confirmation::default(), now())
        .unwrap();
    fast.add_client("Globex", Portal::Business, "", now())
        .unwrap();

    let (reached_tx, reached_rx) = channel();
    let (resume_tx, resume_rx) = channel();
    let paused = Paused {
        inner: secrets.clone(),
        reached: Mutex::new(Some(reached_tx)),
        resume: Mutex::new(Some(resume_rx)),
    };
    let slow_path = path.clone();
    let slow = std::thread::spawn(move || {
        let mut slow = Vault::new(crate::open_db(&slow_path).unwrap(), Box::new(paused));
        slow.import(&slow_import, Confirmation::default(), now())
            .map(|o| o.revision)
    });
    reached_rx.recv().unwrap();
    meanwhile(&mut fast);
    resume_tx.send(()).unwrap();
    let result = slow.join().unwrap();
    (dir, result, fast)
}

#[test]
fn a_renewal_decided_before_another_landed_is_a_conflict_and_keeps_the_winners_secret() {
    let (dir, result, mut fast) = interleave(token(300), token(200));
    let e = result.unwrap_err();
    assert!(matches!(e, Error::Conflict { .. }), "{e:?}");
    assert_eq!(e.kind(), "conflict");
    let message = e.to_string();
    assert!(
        message.contains("\"Main Street School\" of Acme"),
        "{message}"
    );
    assert!(message.contains("revision 2"), "{message}");
    assert!(message.contains("Nothing was saved"), "{message}");
    // The winner's secret is still there, and the loser cleaned up only its own.
    assert!(fast.verify_secrets(now()).unwrap().is_empty());
    assert!(staged_rows(&dir.path().join("tk.db")).is_empty());
    let rows = fast.summaries(now()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(fast.versions(&rows[0].uid).unwrap().len(), 2);
    let later = now() + STAGING_GRACE * 2;
    assert!(
        fast.orphaned_secrets(later, STAGING_GRACE)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_new_credential_decided_before_another_client_took_its_location_is_a_conflict() {
    // The slow import decided "new" for Globex (nobody held Oak Lane yet); meanwhile Acme took
    // Oak Lane. Its revision guard has no row to check: without the snapshot guard it would
    // write a second holder of one location.
    let oak = || ContentTokenSpec::new("Oak Lane", now() + Duration::days(90)).build();
    let (_dir, result, fast) = interleave_with(req("Globex", oak()), |fast| {
        fast.import(&req("Acme", oak()), Confirmation::default(), now())
            .unwrap();
    });
    let e = result.unwrap_err();
    assert_eq!(e.kind(), "conflict", "{e}");
    assert!(e.to_string().contains("added elsewhere"), "{e}");
    let holders = fast
        .summaries(now())
        .unwrap()
        .into_iter()
        .filter(|s| s.identity == "Oak Lane")
        .count();
    assert_eq!(holders, 1);
}

#[test]
fn another_clients_unrelated_import_meanwhile_is_no_conflict() {
    let (_dir, result, fast) = interleave_with(req("Acme", token(200)), |fast| {
        let other = ContentTokenSpec::new("Globex Org", now() + Duration::days(50)).build();
        fast.import(&req("Globex", other), Confirmation::default(), now())
            .unwrap();
    });
    assert_eq!(result.unwrap(), 2);
    assert_eq!(fast.summaries(now()).unwrap().len(), 2);
}

#[test]
fn the_sweep_removes_what_a_killed_attempt_left_only_after_the_grace_period() {
    let (_dir, path, secrets, mut vault) = acme();
    let outcome = vault
        .import(&req("Acme", token(100)), Confirmation::default(), now())
        .unwrap();
    // What a process killed between staging and committing leaves: a journal row and an item.
    let leftover = format!("{}/secret/2/deadbeef{}", outcome.uid, std::process::id());
    {
        crate::open_db(&path)
            .unwrap()
            .sql()
            .execute(
                "INSERT INTO staged_secrets (account, staged_at, retired) VALUES (?1, ?2, 0)",
                tokenkeeper_core::args![leftover, now().to_rfc3339()],
            )
            .unwrap();
    }
    secrets
        .put(&leftover, b"a secret nobody references")
        .unwrap();

    // Within the grace period it may be an import in flight: reported by nobody, kept.
    assert!(
        vault
            .orphaned_secrets(now(), STAGING_GRACE)
            .unwrap()
            .is_empty()
    );
    let sweep = vault.sweep_secrets(now(), STAGING_GRACE).unwrap();
    assert!(sweep.removed.is_empty());
    assert_eq!(sweep.in_flight, 1);
    assert!(secrets.get(&leftover).unwrap().is_some());

    // Past it, it is an orphan: verify sees it, the sweep deletes it.
    let later = now() + STAGING_GRACE + Duration::minutes(1);
    let orphans = vault.orphaned_secrets(later, STAGING_GRACE).unwrap();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].account, leftover);
    assert!(!orphans[0].retired);
    let sweep = vault.sweep_secrets(later, STAGING_GRACE).unwrap();
    assert_eq!(sweep.removed.len(), 1);
    assert!(secrets.get(&leftover).unwrap().is_none());
    assert!(staged_rows(&path).is_empty());
    // The credential's own secret was never touched.
    assert!(vault.verify_secrets(now()).unwrap().is_empty());
}

#[test]
fn renewals_and_removals_retire_what_they_replace_and_leave_no_journal_behind() {
    let (_dir, path, secrets, mut vault) = acme();
    let first = vault
        .import(&req("Acme", token(100)), Confirmation::default(), now())
        .unwrap();
    let account_of = |uid: &str| -> String {
        crate::open_db(&path)
            .unwrap()
            .sql()
            .query_row(
                "SELECT secret_ref FROM credentials WHERE uid = ?1",
                tokenkeeper_core::args![uid],
                |r| r.get(0),
            )
            .unwrap()
    };
    let old = account_of(&first.uid);
    vault
        .import(&req("Acme", token(200)), Confirmation::default(), now())
        .unwrap();
    let new = account_of(&first.uid);
    assert_ne!(old, new, "each attempt stages under its own account");
    assert!(
        secrets.get(&old).unwrap().is_none(),
        "the replaced secret went"
    );
    assert!(staged_rows(&path).is_empty());
    vault.remove_credential(&first.uid, now()).unwrap();
    assert!(secrets.get(&new).unwrap().is_none());
    assert!(staged_rows(&path).is_empty());
}
