//! Reminders delivered for real: the scheduler's pass on a real SQLite file sends a notification
//! through notify-rust over the D-Bus session bus to a notification server this test runs
//! (`org.freedesktop.Notifications`, as GNOME's or dunst would); the title and body arrive as
//! the core wrote them; a click (`ActionInvoked "default"`) opens that credential; a restart
//! (a new vault on the same file) does not send it again.
//!
//! Needs a private session bus: `scripts/with-keychain.sh` (run by `npm test`) provides one.
#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokenkeeper_app::background::notifier::{self, APP_NAME, OPEN_ACTION};
use tokenkeeper_app::background::scheduler::Scheduler;
use tokenkeeper_core::db::Db;
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{Confirmation, ImportRequest};
use tokenkeeper_core::{Keychain, Portal, Vault};
use zbus::object_server::SignalEmitter;
use zbus::zvariant::OwnedValue;

const PATH: &str = "/org/freedesktop/Notifications";

/// One `Notify` call as the server received it.
#[derive(Debug)]
struct Received {
    id: u32,
    app_name: String,
    summary: String,
    body: String,
    actions: Vec<String>,
}

/// A freedesktop notification server that records what it is asked to show.
struct FakeServer {
    received: mpsc::Sender<Received>,
    next_id: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl FakeServer {
    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".to_owned(), "body".to_owned()]
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        self.next_id += 1;
        let _ = self.received.send(Received {
            id: self.next_id,
            app_name,
            summary,
            body,
            actions,
        });
        self.next_id
    }

    fn close_notification(&self, _id: u32) {}

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "fake".to_owned(),
            "tokenkeeper-tests".to_owned(),
            "1".to_owned(),
            "1.2".to_owned(),
        )
    }

    #[zbus(signal)]
    async fn action_invoked(
        emitter: &SignalEmitter<'_>,
        id: u32,
        action_key: &str,
    ) -> zbus::Result<()>;
}

fn session_bus_server() -> (zbus::blocking::Connection, mpsc::Receiver<Received>) {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "these tests need a private D-Bus session: run them through `npm test` or \
         `scripts/with-keychain.sh cargo test ...`"
    );
    let (tx, rx) = mpsc::channel();
    let conn = zbus::blocking::connection::Builder::session()
        .and_then(|b| b.name("org.freedesktop.Notifications"))
        .and_then(|b| {
            b.serve_at(
                PATH,
                FakeServer {
                    received: tx,
                    next_id: 0,
                },
            )
        })
        .and_then(zbus::blocking::connection::Builder::build)
        .expect("own org.freedesktop.Notifications on the session bus");
    (conn, rx)
}

fn vault(path: &std::path::Path) -> Vault {
    Vault::new(
        Db::open(path).expect("open the database"),
        Box::new(Keychain::new(Keychain::default_service())),
    )
}

fn add_expiring_token(v: &mut Vault, now: DateTime<Utc>) -> String {
    v.add_client("Acme Corp", Portal::Business, "", now)
        .expect("client");
    let file = ContentTokenSpec::new("Acme Inc", now + chrono::Duration::days(5)).build();
    let req = ImportRequest {
        client: "Acme Corp".to_owned(),
        bytes: file,
        file_name: Some("Acme.vpptoken".to_owned()),
        key: None,
        label: Some("Main Street".to_owned()),
        apple_account: None,
        expires_at: None,
    };
    v.import(&req, Confirmation::default(), now)
        .expect("import");
    v.summaries(now).expect("list")[0].uid.clone()
}

#[test]
fn a_due_reminder_reaches_the_notification_server_once_and_its_click_opens_the_credential() {
    let (conn, received) = session_bus_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("tokenkeeper.db");
    let now = Utc::now();
    let uid = add_expiring_token(&mut vault(&db), now);

    let (clicked_tx, clicked) = mpsc::channel();
    let native = notifier::Native::new(move |uid: String| {
        let _ = clicked_tx.send(uid);
    });
    let mut scheduler = Scheduler::new(vault(&db), native, |_| {});
    let pass = scheduler.pass(now, false).expect("pass");
    let sent = pass
        .delivered
        .expect("a reminder is due five days before expiry");
    assert_eq!(pass.overview.renewal_required, 1);

    let got = received
        .recv_timeout(Duration::from_secs(10))
        .expect("the server received the notification");
    assert_eq!(got.app_name, APP_NAME);
    assert_eq!(got.summary, sent.title);
    assert_eq!(got.body, sent.body);
    assert!(got.summary.contains("Acme Corp"), "{}", got.summary);
    assert!(got.summary.contains("Apps and Books"), "{}", got.summary);
    assert!(got.body.to_lowercase().contains("renew"), "{}", got.body);
    assert_eq!(got.actions.first().map(String::as_str), Some(OPEN_ACTION));

    // The user clicks the notification. The app subscribes to the click on a thread of its own
    // after `Notify` returns, so a click sent at once can precede the subscription: click until
    // it arrives (a user clicks seconds later; a broken click handler never answers).
    let iface = conn
        .object_server()
        .interface::<_, FakeServer>(PATH)
        .expect("our interface");
    let mut opened = None;
    for _ in 0..50 {
        zbus::block_on(FakeServer::action_invoked(
            iface.signal_emitter(),
            got.id,
            OPEN_ACTION,
        ))
        .expect("emit ActionInvoked");
        if let Ok(uid) = clicked.recv_timeout(Duration::from_millis(200)) {
            opened = Some(uid);
            break;
        }
    }
    assert_eq!(
        opened.as_deref(),
        Some(uid.as_str()),
        "the click reached the app"
    );

    // Restart: a new scheduler over a new connection to the same file, an hour later.
    drop(scheduler);
    let native = notifier::Native::new(|_uid: String| {});
    let mut restarted = Scheduler::new(vault(&db), native, |_| {});
    let again = restarted
        .pass(now + chrono::Duration::hours(1), false)
        .expect("pass after restart");
    assert!(again.delivered.is_none(), "{:?}", again.delivered);
    // `Notify` is a method call: had it been sent, the server would already hold it.
    assert!(received.try_recv().is_err(), "sent twice");
    assert!(
        again
            .next
            .is_some_and(|next| next > now + chrono::Duration::hours(1)),
        "the next reminder is ahead: {:?}",
        again.next
    );

    let events = restarted
        .vault()
        .events(&tokenkeeper_core::vault::EventFilter {
            kinds: vec!["notification_sent".to_owned()],
            ..Default::default()
        })
        .expect("events");
    assert_eq!(events.len(), 1, "one notification in the audit log");
}
