//! Alerts in the team's channels, in the core: per-client warning thresholds, the outbox written
//! once per (credential, milestone) across restarts and processes, grouped per channel, claimed
//! with a lease, retried after a backoff, and no channel secret anywhere but the keychain.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, TimeZone, Utc};
use tokenkeeper_core::alerts::{AlertMessage, CLAIM_LEASE};
use tokenkeeper_core::secrets::{MemoryStore, SecretStore};
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{
    ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, ClientAlerting, Confirmation,
    DeliveryFailure, EventFilter, ImportRequest, SmtpSecurity,
};
use tokenkeeper_core::{Error, ExportFormat, Portal, State, Vault};
use zeroize::Zeroizing;

use super::Shared;

const URL: &str = "https://hooks.example.com/services/T000/B000/SECRETTOKEN123";
const SIGNING: &str = "signing-key-SECRET-456";
const PASSWORD: &str = "smtp-password-SECRET-789";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 4, 9, 0, 0)
        .single()
        .expect("date")
}

struct Setup {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Arc<dyn SecretStore>,
}

impl Setup {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("tk.db");
        Self {
            _dir: dir,
            path,
            store: Arc::new(MemoryStore::new()),
        }
    }

    fn vault(&self) -> Vault {
        Vault::new(
            crate::open_db(&self.path).expect("db"),
            Box::new(Shared(self.store.clone())),
        )
    }
}

fn import_token(v: &mut Vault, client: &str, label: &str, expires: DateTime<Utc>) {
    let req = ImportRequest {
        client: client.to_owned(),
        bytes: ContentTokenSpec::new(&format!("{client} {label}"), expires).build(),
        label: Some(label.to_owned()),
        ..ImportRequest::default()
    };
    let yes = Confirmation {
        confirmed: true,
        accept_new_identity: false,
    };
    v.import(&req, yes, now() - Duration::days(400))
        .expect("import");
}

fn webhook(name: &str, clients: Option<Vec<String>>) -> (ChannelSpec, ChannelSecret) {
    (
        ChannelSpec {
            name: name.to_owned(),
            kind: ChannelKind::Webhook,
            settings: ChannelSettings::default(),
            clients,
        },
        ChannelSecret {
            url: Some(Zeroizing::new(URL.to_owned())),
            password: None,
            signing_key: Some(Zeroizing::new(SIGNING.to_owned())),
        },
    )
}

fn email(name: &str, clients: Option<Vec<String>>) -> (ChannelSpec, ChannelSecret) {
    (
        ChannelSpec {
            name: name.to_owned(),
            kind: ChannelKind::Email,
            settings: ChannelSettings {
                host: "smtp.example.com".to_owned(),
                port: 587,
                security: SmtpSecurity::Starttls,
                username: Some("alerts".to_owned()),
                from: Some("alerts@msp.example".to_owned()),
                to: vec!["noc@msp.example".to_owned(), "lead@msp.example".to_owned()],
                ca_file: None,
            },
            clients,
        },
        ChannelSecret {
            url: None,
            password: Some(Zeroizing::new(PASSWORD.to_owned())),
            signing_key: None,
        },
    )
}

/// Acme (contact it@acme.example) with two tokens due, Globex with one due and one far off.
fn seeded(s: &Setup) -> Vault {
    let mut v = s.vault();
    for c in ["Acme", "Globex"] {
        v.add_client(c, Portal::Business, "", now() - Duration::days(400))
            .expect("client");
    }
    v.set_client_alerting(
        "Acme",
        &ClientAlerting {
            warn_days: None,
            contact_email: Some("it@acme.example".to_owned()),
        },
        now(),
    )
    .expect("contact");
    import_token(&mut v, "Acme", "Main", now() + Duration::days(10));
    import_token(&mut v, "Acme", "Harbour", now() - Duration::days(3));
    import_token(&mut v, "Globex", "Main", now() + Duration::days(5));
    import_token(&mut v, "Globex", "Far", now() + Duration::days(200));
    v
}

fn pending(v: &mut Vault, at: DateTime<Utc>) -> Vec<AlertMessage> {
    v.claim_deliveries(at, 100)
        .expect("claim")
        .into_iter()
        .map(|d| d.message)
        .collect()
}

#[test]
fn a_client_threshold_moves_states_reminders_and_exports() {
    let s = Setup::new();
    let mut v = s.vault();
    v.add_client("Acme", Portal::Business, "", now())
        .expect("client");
    import_token(&mut v, "Acme", "Main", now() + Duration::days(50));
    let state = |v: &Vault| v.summaries(now()).expect("list")[0].status.state;
    assert_eq!(state(&v), State::Active);
    let set = |v: &mut Vault, days| {
        v.set_client_alerting(
            "Acme",
            &ClientAlerting {
                warn_days: days,
                contact_email: None,
            },
            now(),
        )
    };
    set(&mut v, Some(60)).expect("60 days");
    assert_eq!(state(&v), State::RenewalRequired);
    let csv =
        tokenkeeper_core::export(&v.summaries(now()).expect("list"), ExportFormat::Csv, now());
    assert!(csv.contains("renewal_required"), "{csv}");
    let pass = v.reminder_pass(now()).expect("pass");
    let n = pass.notification.expect("a reminder at the 60-day mark");
    assert_eq!(n.reminders[0].milestone, "before-60");
    for bad in [Some(0), Some(31), Some(365)] {
        assert!(matches!(set(&mut v, bad), Err(Error::InvalidInput { .. })));
    }
    set(&mut v, None).expect("back to the vault's");
    assert_eq!(state(&v), State::Active);
}

#[test]
fn alerts_are_queued_once_grouped_per_channel_with_the_contact_told() {
    let s = Setup::new();
    let mut v = seeded(&s);
    // Without channels nothing is recorded: a channel added later still gets what is due.
    assert_eq!(v.queue_alerts(now()).expect("pass").messages, 0);
    let (spec, secret) = webhook("Tickets", None);
    v.add_channel(&spec, &secret, now()).expect("webhook");
    let (spec, secret) = email("NOC mail", Some(vec!["acme".to_owned()]));
    v.add_channel(&spec, &secret, now()).expect("email");

    let report = v.queue_alerts(now()).expect("pass");
    assert_eq!(report.alerts, 3);
    // webhook (3 credentials), e-mail (Acme's 2), Acme's contact (its 2)
    assert_eq!(report.messages, 3);
    assert_eq!(v.queue_alerts(now()).expect("again").alerts, 0);
    drop(v);
    let mut v = s.vault();
    assert_eq!(
        v.queue_alerts(now() + Duration::hours(1))
            .expect("restart")
            .alerts,
        0
    );

    let claimed = v.claim_deliveries(now(), 100).expect("claim");
    assert_eq!(claimed.len(), 3);
    let hook = claimed
        .iter()
        .find(|d| d.kind == ChannelKind::Webhook)
        .expect("hook");
    assert_eq!(hook.message.alerts.len(), 3);
    assert_eq!(
        hook.message.alerts[0].state,
        State::Expired,
        "most urgent first"
    );
    assert_eq!(
        hook.message.title,
        "3 credentials need attention (1 expired or in error)"
    );
    let body: serde_json::Value = serde_json::from_str(&hook.body).expect("json");
    assert_eq!(body["schema"], "tokenkeeper.alert");
    assert_eq!(body["version"], 1);
    assert_eq!(
        body["alerts"][0]["portal_url"],
        "https://business.apple.com"
    );
    let mails: Vec<_> = claimed
        .iter()
        .filter(|d| d.kind == ChannelKind::Email)
        .collect();
    assert_eq!(mails.len(), 2);
    assert!(
        mails
            .iter()
            .all(|d| d.message.alerts.iter().all(|a| a.client == "Acme"))
    );
    assert!(mails.iter().all(|d| d.message.alerts.len() == 2));
    assert!(mails.iter().any(|d| d.extra_to == ["it@acme.example"]));

    // Four days on, each reaches its next milestone (7 and 1 days left, 7 days of grace).
    let later = now() + Duration::days(4) + Duration::hours(2);
    assert_eq!(v.queue_alerts(later).expect("later").alerts, 3);
    assert_eq!(v.queue_alerts(later).expect("again").alerts, 0);
}

#[test]
fn two_processes_on_one_database_queue_and_claim_each_alert_once() {
    let s = Setup::new();
    let mut a = seeded(&s);
    let (spec, secret) = webhook("Tickets", None);
    a.add_channel(&spec, &secret, now()).expect("webhook");
    let mut b = s.vault();
    let threads: Vec<_> = [a, b]
        .into_iter()
        .map(|mut v| {
            std::thread::spawn(move || {
                let q = v.queue_alerts(now()).expect("pass").alerts;
                let c = v.claim_deliveries(now(), 100).expect("claim").len();
                (q, c, v)
            })
        })
        .collect();
    let results: Vec<_> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    assert_eq!(results.iter().map(|r| r.0).sum::<u32>(), 3);
    assert_eq!(results.iter().map(|r| r.1).sum::<usize>(), 1);
    let mut vaults: Vec<Vault> = results.into_iter().map(|r| r.2).collect();
    b = vaults.pop().expect("b");
    a = vaults.pop().expect("a");
    // A process that dies after claiming: nobody else sends it until the lease ends…
    assert!(pending(&mut a, now() + Duration::seconds(30)).is_empty());
    // …then it goes out once, and once delivered never again.
    let after = now() + CLAIM_LEASE + Duration::seconds(1);
    let again = b.claim_deliveries(after, 100).expect("claim");
    assert_eq!(again.len(), 1);
    b.delivered(again[0].outbox_id.expect("id"), after)
        .expect("delivered");
    assert!(pending(&mut a, after + Duration::hours(5)).is_empty());
    let health = &a.channels().expect("channels")[0].health;
    assert_eq!(health.pending, 0);
    assert_eq!(health.last_success_at, Some(after));
}

#[test]
fn failures_back_off_honour_retry_after_and_show_the_channel_as_a_problem() {
    let s = Setup::new();
    let mut v = seeded(&s);
    let (spec, secret) = webhook("Tickets", None);
    v.add_channel(&spec, &secret, now()).expect("webhook");
    v.queue_alerts(now()).expect("pass");
    let d = v.claim_deliveries(now(), 10).expect("claim").remove(0);
    let id = d.outbox_id.expect("id");
    let f = DeliveryFailure {
        message: "the receiver asked to slow down (429)".to_owned(),
        retry_after: Some(StdDuration::from_secs(600)),
    };
    v.delivery_failed(id, &f, now()).expect("failed");
    assert!(!v.channels().expect("channels")[0].health.problem);
    assert!(pending(&mut v, now() + Duration::minutes(9)).is_empty());
    let t = now() + Duration::minutes(10);
    let d = v.claim_deliveries(t, 10).expect("claim").remove(0);
    assert_eq!(d.attempts, 1);
    let f = DeliveryFailure {
        message: "the receiver failed (500); it is tried again".to_owned(),
        retry_after: None,
    };
    v.delivery_failed(id, &f, t).expect("failed");
    let ch = &v.channels().expect("channels")[0];
    assert!(ch.health.problem);
    assert_eq!(ch.health.failures, 2);
    assert_eq!(ch.health.pending, 1);
    assert_eq!(
        v.next_delivery_at().expect("next"),
        Some(t + Duration::minutes(2))
    );
    v.delivered(id, t + Duration::minutes(2))
        .expect("delivered");
    assert!(!v.channels().expect("channels")[0].health.problem);
    let kinds: Vec<String> = v
        .events(&EventFilter::default())
        .expect("events")
        .into_iter()
        .map(|e| e.kind.id().to_owned())
        .collect();
    assert_eq!(kinds.iter().filter(|k| *k == "alert_failed").count(), 2);
    assert_eq!(kinds.iter().filter(|k| *k == "alert_delivered").count(), 1);
}

#[test]
fn a_message_still_waiting_keeps_its_items_when_the_others_are_delivered() {
    let s = Setup::new();
    let mut v = seeded(&s);
    for name in ["Tickets", "Chat"] {
        let (spec, secret) = webhook(name, None);
        v.add_channel(&spec, &secret, now()).expect("webhook");
    }
    v.queue_alerts(now()).expect("pass");
    let claimed = v.claim_deliveries(now(), 10).expect("claim");
    assert_eq!(claimed.len(), 2);
    let (first, second) = (&claimed[0], &claimed[1]);
    let failure = DeliveryFailure {
        message: "the receiver failed (500); it is tried again".to_owned(),
        retry_after: None,
    };
    v.delivery_failed(second.outbox_id.expect("id"), &failure, now())
        .expect("failed");
    v.delivered(first.outbox_id.expect("id"), now())
        .expect("delivered");
    // A later pass queues more items after them: still nothing of the waiting message is let go.
    let later = now() + Duration::days(4) + Duration::hours(2);
    assert_eq!(v.queue_alerts(later).expect("later").alerts, 3);
    let again = v.claim_deliveries(later, 10).expect("claim again");
    let retried = again
        .iter()
        .find(|d| d.outbox_id == second.outbox_id)
        .expect("the failed message comes back");
    assert_eq!(retried.message.alerts, second.message.alerts);
    assert_eq!(retried.body, second.body, "the same body, signed the same");
    assert_eq!(retried.message.alerts.len(), 3);
    for d in &again {
        v.delivered(d.outbox_id.expect("id"), later)
            .expect("delivered");
    }
    // Everything delivered: a new pass still works from a clean slate.
    assert!(v.claim_deliveries(later, 10).expect("none left").is_empty());
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn files_of(path: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        all.extend(std::fs::read(&p).unwrap_or_default());
    }
    all
}

#[test]
fn channel_secrets_live_only_in_the_keychain() {
    let s = Setup::new();
    let mut v = seeded(&s);
    let (spec, secret) = webhook("Tickets", None);
    let hook = v.add_channel(&spec, &secret, now()).expect("webhook");
    assert_eq!(hook.endpoint.as_deref(), Some("https://hooks.example.com"));
    let (spec, secret) = email("NOC mail", None);
    v.add_channel(&spec, &secret, now()).expect("email");
    v.queue_alerts(now()).expect("pass");
    let claimed = v.claim_deliveries(now(), 10).expect("claim");
    v.delivery_failed(
        claimed[0].outbox_id.expect("id"),
        &DeliveryFailure {
            message: "connection refused".to_owned(),
            retry_after: None,
        },
        now(),
    )
    .expect("failed");
    let listed = serde_json::to_string(&v.channels().expect("channels")).expect("json");
    let events = format!("{:?}", v.events(&EventFilter::default()).expect("events"));
    let debug = format!("{claimed:?}");
    let db = files_of(&s.path);
    for secret in [URL, "SECRETTOKEN123", SIGNING, PASSWORD] {
        assert!(!listed.contains(secret), "channel list holds {secret}");
        assert!(!events.contains(secret), "events hold {secret}");
        assert!(!debug.contains(secret), "Debug shows {secret}");
        assert!(!contains(&db, secret), "database file holds {secret}");
    }
    // The keychain has them; removing the channel removes them.
    let d = v.test_delivery("tickets", now()).expect("test");
    assert_eq!(d.secret.url.as_deref().map(|u| u.as_str()), Some(URL));
    v.remove_channel("Tickets", now()).expect("remove");
    v.remove_channel("NOC mail", now()).expect("remove");
    let swept = v
        .orphaned_secrets(now(), Duration::zero())
        .expect("orphans");
    assert!(swept.is_empty(), "{swept:?}");
    assert!(v.channels().expect("channels").is_empty());
}

#[test]
fn channel_input_is_checked() {
    let s = Setup::new();
    let mut v = seeded(&s);
    let (spec, mut secret) = webhook("Tickets", None);
    secret.url = Some(Zeroizing::new("http://hooks.example.com/x".to_owned()));
    let e = v.add_channel(&spec, &secret, now()).expect_err("http");
    assert!(!e.to_string().contains("hooks.example.com/x"), "{e}");
    secret.url = Some(Zeroizing::new("http://127.0.0.1:9/x".to_owned()));
    v.add_channel(&spec, &secret, now())
        .expect("http on loopback");
    assert!(matches!(
        v.add_channel(&spec, &secret, now()),
        Err(Error::AlreadyExists { .. })
    ));
    let (mut spec, secret) = email("Mail", None);
    spec.settings.to = vec!["not an address".to_owned()];
    assert!(matches!(
        v.add_channel(&spec, &secret, now()),
        Err(Error::InvalidInput { .. })
    ));
    let (spec, secret) = email("Mail", Some(vec!["Nobody Inc".to_owned()]));
    assert!(matches!(
        v.add_channel(&spec, &secret, now()),
        Err(Error::NotFound { .. })
    ));
    let parsed =
        tokenkeeper_core::vault::parse_smtp_url("smtps://me@mail.example.com").expect("smtps");
    assert_eq!(
        parsed,
        (
            SmtpSecurity::Tls,
            Some("me".to_owned()),
            "mail.example.com".to_owned(),
            465
        )
    );
    for bad in [
        "smtp://",
        "http://x",
        "smtp://h:99999",
        "smtp://a b:25",
        "",
        "smtp://[::1",
    ] {
        assert!(
            tokenkeeper_core::vault::parse_smtp_url(bad).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn an_edit_replaces_only_the_secret_parts_given() {
    let s = Setup::new();
    let mut v = seeded(&s);
    let (spec, secret) = webhook("Tickets", None);
    v.add_channel(&spec, &secret, now()).expect("webhook");
    let stored = |v: &Vault| v.test_delivery("Tickets", now()).expect("secret").secret;

    // Nothing given: the secret stays as it was; the public part changes.
    let mut renamed = spec.clone();
    renamed.clients = Some(vec!["Acme".to_owned()]);
    let c = v
        .edit_channel("Tickets", &renamed, &ChannelSecret::default(), now())
        .expect("edit");
    assert_eq!(c.clients, Some(vec!["Acme".to_owned()]));
    let kept = stored(&v);
    assert_eq!(kept.url.as_deref().map(|u| u.as_str()), Some(URL));
    assert_eq!(
        kept.signing_key.as_deref().map(|k| k.as_str()),
        Some(SIGNING)
    );

    // A new URL keeps the signing key; the endpoint follows the new URL.
    let new_url = "https://other.example.net/hook/NEWTOKEN";
    let c = v
        .edit_channel(
            "Tickets",
            &renamed,
            &ChannelSecret {
                url: Some(Zeroizing::new(new_url.to_owned())),
                ..ChannelSecret::default()
            },
            now(),
        )
        .expect("new url");
    assert_eq!(c.endpoint.as_deref(), Some("https://other.example.net"));
    let merged = stored(&v);
    assert_eq!(merged.url.as_deref().map(|u| u.as_str()), Some(new_url));
    assert_eq!(
        merged.signing_key.as_deref().map(|k| k.as_str()),
        Some(SIGNING)
    );

    // A new key keeps the URL; the old keychain entries are retired, none left over.
    v.edit_channel(
        "Tickets",
        &renamed,
        &ChannelSecret {
            signing_key: Some(Zeroizing::new("another-key".to_owned())),
            ..ChannelSecret::default()
        },
        now(),
    )
    .expect("new key");
    let merged = stored(&v);
    assert_eq!(merged.url.as_deref().map(|u| u.as_str()), Some(new_url));
    assert_eq!(
        merged.signing_key.as_deref().map(|k| k.as_str()),
        Some("another-key")
    );
    let orphans = v
        .orphaned_secrets(now(), Duration::zero())
        .expect("orphans");
    assert!(orphans.is_empty(), "{orphans:?}");
}
