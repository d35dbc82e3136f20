//! The team's server going away and coming back under the app's scheduler
//! (`TOKENKEEPER_TEST_POSTGRES_CTL stop|start`, from `scripts/with-postgres.sh`; a test binary
//! of its own, since stopping the server breaks the tests sharing it).
//!
//! While the server answers, the scheduler keeps this computer's copy of the team vault. When
//! it stops: the scheduler and the commands move to the copy, read only (every change refused
//! with since when and why), the reminder that came due is shown from it, once; the app started
//! meanwhile opens on the copy. When it answers again: everything moves back by itself and the
//! reminder shown meanwhile is recorded on the server, not shown a second time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use tokenkeeper_app::background::scheduler::{Link, Scheduler};
use tokenkeeper_app::connection::{Connection, open_at_start};
use tokenkeeper_app::state::{Bell, Wake};
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{Confirmation, EventFilter, ImportRequest};
use tokenkeeper_core::{MemoryStore, Portal, Vault};
use tokenkeeper_store_postgres::open;
use tokenkeeper_store_postgres::testing::fresh_database;

use common::Recorder;

/// Long enough for any pass on a slow machine; a hang fails instead of blocking CI.
const WAIT: StdDuration = StdDuration::from_secs(90);

fn ctl(ctl: &str, what: &str) {
    let status = Command::new(ctl).arg(what).status().unwrap();
    assert!(status.success(), "{ctl} {what}");
}

fn vault_at(url: &str) -> tokenkeeper_core::Result<Vault> {
    Ok(Vault::new(open(url)?, Box::new(MemoryStore::new())))
}

#[test]
fn away_the_app_shows_the_last_known_state_read_only_and_reminds_then_reconnects() {
    let (Ok(admin), Ok(server_ctl)) = (
        std::env::var("TOKENKEEPER_TEST_POSTGRES"),
        std::env::var("TOKENKEEPER_TEST_POSTGRES_CTL"),
    ) else {
        assert!(
            std::env::var("TOKENKEEPER_REQUIRE_POSTGRES").as_deref() != Ok("1"),
            "run through scripts/with-postgres.sh"
        );
        eprintln!("skipped: no PostgreSQL test server to stop");
        return;
    };
    let url = fresh_database(&admin, "app_away").unwrap();
    let now = Utc::now();
    let mut server = vault_at(&url).unwrap();
    server
        .add_client("Acme", Portal::Business, "", now)
        .unwrap();
    let token = ImportRequest {
        client: "Acme".to_owned(),
        bytes: ContentTokenSpec::new("Acme Org", now + Duration::days(5)).build(),
        ..Default::default()
    };
    server.import(&token, Confirmation::default(), now).unwrap();
    let database = server.database_location();

    // The notification service is not up yet: the reminder stays due.
    let notifier = Recorder::default();
    *notifier.refuse.lock().unwrap() = true;
    let (passed, passes) = mpsc::channel();
    let (swapped, swaps) = mpsc::channel::<(Option<Vault>, Connection)>();
    let reopen = url.clone();
    let link = Link::new(
        database.clone(),
        Box::new(move || vault_at(&reopen)),
        Box::new(move |vault, connection| {
            let _ = swapped.send((vault, connection));
        }),
        None,
    );
    let scheduler = Scheduler::new(server, notifier.clone(), move |pass| {
        let _ = passed.send(pass.delivered.clone());
    })
    .with_link(link);
    let bell = Bell::default();
    let ringer = bell.clone();
    std::thread::spawn(move || scheduler.run(&ringer));

    // The first pass takes the copy.
    assert_eq!(
        passes.recv_timeout(WAIT).unwrap(),
        None,
        "refused, not shown"
    );
    // The copy is taken right after the pass is reported (the window is not kept waiting).
    let copy_path = tokenkeeper_core::team::local_copy_path(&database).unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    while !copy_path.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(StdDuration::from_millis(50));
    }
    assert!(
        copy_path.exists(),
        "the copy is kept while the server answers"
    );

    // The server stops; the notification service comes up.
    ctl(&server_ctl, "stop");
    *notifier.refuse.lock().unwrap() = false;
    bell.ring(Wake::MaybeChanged);
    let (commands, away) = swaps.recv_timeout(WAIT).unwrap();
    let since = away.away_since.expect("away");
    assert_eq!(away.database.as_deref(), Some(database.as_str()));
    assert!(away.shown_as_of.expect("a copy shown") <= since);
    // The reminder fires from the copy.
    let shown = passes
        .recv_timeout(WAIT)
        .unwrap()
        .expect("shown while away");
    assert!(shown.title.contains("Acme"), "{}", shown.title);

    // The commands read the copy and change nothing, saying why and since when.
    let mut commands = commands.expect("the copy for the commands");
    let listed = commands.summaries(Utc::now()).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].client, "Acme");
    let refused = commands
        .add_client("Globex", Portal::Business, "", Utc::now())
        .expect_err("read only");
    assert_eq!(refused.kind(), "read_only");
    let message = refused.to_string();
    assert!(message.contains("unreachable since"), "{message}");
    assert!(message.contains(&database), "{message}");
    assert!(message.contains("reconnects by itself"), "{message}");
    assert!(!message.contains(&tokenkeeper_password(&url)), "{message}");
    // A renewal would change the record: refused (the same file again changes nothing).
    let renewal = ImportRequest {
        bytes: ContentTokenSpec::new("Acme Org", now + Duration::days(370)).build(),
        client: "Acme".to_owned(),
        ..Default::default()
    };
    let refused = commands
        .import(&renewal, Confirmation::default(), Utc::now())
        .expect_err("read only");
    assert_eq!(refused.kind(), "read_only", "{refused}");

    // An app started now opens on the copy.
    let (started, _, connection) = open_at_start(Path::new(&url), &|| {
        tokenkeeper_store_postgres::open_location(Path::new(&url), Box::new(MemoryStore::new()))
    })
    .unwrap();
    assert!(connection.away_since.is_some());
    assert_eq!(connection.shown_as_of, away.shown_as_of);
    assert!(started.read_only().is_some());
    assert_eq!(started.summaries(Utc::now()).unwrap().len(), 1);

    // Passes while away show nothing twice (the listener ringing while the server is still
    // down: tried, not there, a pass on the copy).
    bell.ring(Wake::Notified);
    assert_eq!(passes.recv_timeout(WAIT).unwrap(), None, "once");

    // The server is back: everything moves back by itself.
    ctl(&server_ctl, "start");
    bell.ring(Wake::Notified);
    let (back, connection) = swaps.recv_timeout(WAIT).unwrap();
    assert_eq!(connection, Connection::reachable(Some(database.clone())));
    let mut back = back.expect("the server for the commands");
    assert!(back.read_only().is_none());
    back.add_client("Globex", Portal::Business, "", Utc::now())
        .expect("writes again");
    // The reminder shown while away is recorded there, and not shown again.
    let recorded = back.events(&EventFilter::default()).unwrap();
    assert!(
        recorded
            .iter()
            .any(|e| e.message.contains("Acme") && format!("{:?}", e.kind).contains("Notification")),
        "{recorded:?}"
    );
    bell.ring(Wake::MaybeChanged);
    while let Ok(delivered) = passes.recv_timeout(StdDuration::from_secs(5)) {
        assert_eq!(delivered, None, "shown a second time once back");
    }
    assert_eq!(notifier.shown.lock().unwrap().len(), 1);
}

fn tokenkeeper_password(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    let userinfo = rest.split_once('@').unwrap().0;
    userinfo.split_once(':').unwrap().1.to_owned()
}
