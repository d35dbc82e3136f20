//! The scheduler's pass on a real SQLite file, with a notifier that records (or refuses): a
//! refused notification is retried in five minutes and not recorded as sent; a delivered one is
//! recorded once; a snooze holds everything until it ends; the tray sees the worst state.

mod common;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use tokenkeeper_app::background::scheduler::Scheduler;
use tokenkeeper_core::db::Db;
use tokenkeeper_core::overview::Level;
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{Confirmation, ImportRequest};
use tokenkeeper_core::{MemoryStore, Portal, Vault};

use common::Recorder;

fn vault_with(days: &[(&str, i64)], now: DateTime<Utc>) -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut v = Vault::new(
        Db::open(&dir.path().join("t.db")).expect("db"),
        Box::new(MemoryStore::default()),
    );
    for (client, d) in days {
        v.add_client(client, Portal::Business, "", now)
            .expect("client");
        let req = ImportRequest {
            client: (*client).to_owned(),
            bytes: ContentTokenSpec::new(&format!("{client} Org"), now + Duration::days(*d))
                .build(),
            label: Some("Main".to_owned()),
            ..Default::default()
        };
        v.import(&req, Confirmation::default(), now)
            .expect("import");
    }
    (dir, v)
}

#[test]
fn a_refused_notification_is_retried_in_five_minutes_and_sent_once_when_it_can_be() {
    let now = Utc::now();
    let (_dir, vault) = vault_with(&[("Acme", 5), ("Beta", 200)], now);
    let notifier = Recorder::default();
    *notifier.refuse.lock().expect("lock") = true;
    let mut s = Scheduler::new(vault, notifier.clone(), |_| {});

    let refused = s.pass(now, false).expect("pass");
    assert!(refused.delivered.is_none());
    assert_eq!(
        refused.next,
        Some(now + Duration::minutes(5)),
        "retry, no busy loop"
    );

    *notifier.refuse.lock().expect("lock") = false;
    let later = now + Duration::minutes(5);
    let sent = s.pass(later, false).expect("pass");
    let n = sent.delivered.expect("delivered on the retry");
    assert!(n.title.contains("Acme"), "{}", n.title);
    assert!(sent.next.expect("a next reminder") > later);
    assert!(
        s.pass(later, false).expect("pass").delivered.is_none(),
        "only once"
    );
    assert_eq!(notifier.shown.lock().expect("lock").len(), 1);
}

#[test]
fn a_snooze_holds_reminders_until_it_ends() {
    // The snooze is stored to the second.
    let now = Utc::now().trunc_subsecs(0);
    let (_dir, mut vault) = vault_with(&[("Acme", 5)], now);
    vault
        .snooze_until(now + Duration::days(1), now)
        .expect("snooze");
    let notifier = Recorder::default();
    let mut s = Scheduler::new(vault, notifier.clone(), |_| {});
    let held = s.pass(now, false).expect("pass");
    assert!(held.delivered.is_none());
    assert_eq!(held.next, Some(now + Duration::days(1)));
    let after = s.pass(now + Duration::days(1), false).expect("pass");
    assert!(after.delivered.is_some(), "due once the snooze ends");
}

#[test]
fn several_due_together_make_one_notification_and_the_tray_shows_the_worst() {
    let now = Utc::now();
    let (_dir, vault) = vault_with(
        &[("Acme", 5), ("Beta", 2), ("Gamma", -3), ("Delta", 300)],
        now,
    );
    let notifier = Recorder::default();
    let mut s = Scheduler::new(vault, notifier.clone(), |_| {});
    let pass = s.pass(now, false).expect("pass");
    let n = pass.delivered.expect("one grouped notification");
    assert!(n.title.starts_with("3 credentials"), "{}", n.title);
    assert_eq!(notifier.shown.lock().expect("lock").len(), 1);
    assert_eq!(pass.overview.level, Level::Critical);
    assert_eq!(pass.overview.urgent.len(), 3);
    assert!(
        pass.overview.urgent[0].text.starts_with("Gamma"),
        "{:?}",
        pass.overview.urgent
    );
    assert_eq!(
        pass.overview.tooltip(),
        "TokenKeeper: 1 expired, 2 need renewal"
    );
}
