//! Webhook receivers on 127.0.0.1: they record each request and answer from a script (500,
//! 429 with Retry-After, hang, 200), over plain HTTP or TLS.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use chrono::Duration;
use openssl::ssl::{SslAcceptor, SslFiletype, SslMethod};
use tokenkeeper_channels::{deliver_due, send_test, webhook};
use tokenkeeper_core::alerts::CLAIM_LEASE;
use tokenkeeper_core::vault::{ChannelKind, EventFilter};

use super::{Clock, Setup, now, pki, webhook_channel};

#[derive(Clone, Copy)]
enum Answer {
    Status(u16),
    TooMany(u64),
    Hang,
}

#[derive(Debug, Clone)]
struct Request {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("json body")
    }
}

struct Receiver {
    port: u16,
    seen: Arc<Mutex<Vec<Request>>>,
}

impl Receiver {
    fn url(&self, scheme: &str) -> String {
        format!(
            "{scheme}://127.0.0.1:{}/hooks/T0/SECRET-PATH-TOKEN",
            self.port
        )
    }
    fn seen(&self) -> Vec<Request> {
        self.seen.lock().expect("lock").clone()
    }
}

fn read_request(s: &mut (impl Read + ?Sized)) -> Option<Request> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).to_string();
    let headers: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let len = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some(Request { headers, body })
}

fn answer(s: &mut (impl Write + ?Sized), a: Answer) {
    let reply = match a {
        Answer::Status(code) => {
            format!("HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        }
        Answer::TooMany(secs) => format!(
            "HTTP/1.1 429 Too Many\r\nRetry-After: {secs}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        Answer::Hang => {
            std::thread::sleep(StdDuration::from_secs(6));
            return;
        }
    };
    let _ = s.write_all(reply.as_bytes());
    let _ = s.flush();
}

/// A receiver answering `script` in order (the last answer repeats); over TLS with `tls`.
fn receiver(
    script: Vec<Answer>,
    tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
) -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let acceptor = tls.map(|(cert, key)| {
        let mut b = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).expect("acceptor");
        b.set_certificate_chain_file(cert).expect("cert");
        b.set_private_key_file(key, SslFiletype::PEM).expect("key");
        Arc::new(b.build())
    });
    let record = seen.clone();
    std::thread::spawn(move || {
        for (n, conn) in listener.incoming().enumerate() {
            let Ok(tcp) = conn else { continue };
            let a = script[n.min(script.len() - 1)];
            let record = record.clone();
            let acceptor = acceptor.clone();
            // One thread per connection: a hanging answer never holds up the next.
            std::thread::spawn(move || {
                let handle = |s: &mut dyn ReadWrite| {
                    if let Some(req) = read_request(s) {
                        record.lock().expect("lock").push(req);
                        answer(s, a);
                    }
                };
                match acceptor {
                    Some(acc) => {
                        if let Ok(mut s) = acc.accept(tcp) {
                            handle(&mut s);
                        }
                    }
                    None => handle(&mut { tcp }),
                }
            });
        }
    });
    Receiver { port, seen }
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

const KEY: &str = "signing-KEY-for-tests";

#[test]
fn retries_back_off_honour_retry_after_and_deliver_once() {
    let (s, mut v) = Setup::new();
    let r = receiver(
        vec![
            Answer::Status(500),
            Answer::TooMany(300),
            Answer::Status(204),
        ],
        None,
    );
    webhook_channel(
        &mut v,
        "Tickets",
        ChannelKind::Webhook,
        &r.url("http"),
        Some(KEY),
        None,
    );
    assert_eq!(v.queue_alerts(now()).expect("pass").messages, 1);
    let clock = Clock::new();
    let t = StdDuration::from_secs(5);
    let round = deliver_due(&mut v, &|| clock.at(), t).expect("round");
    assert_eq!((round.delivered, round.failed), (0, 1));
    // The backoff: nothing before a minute.
    clock.advance(Duration::seconds(30));
    assert_eq!(
        deliver_due(&mut v, &|| clock.at(), t)
            .expect("round")
            .failed,
        0
    );
    clock.advance(Duration::seconds(31));
    assert_eq!(
        deliver_due(&mut v, &|| clock.at(), t)
            .expect("round")
            .failed,
        1
    );
    // Retry-After: 300 seconds, longer than the 2-minute backoff.
    clock.advance(Duration::minutes(3));
    let round = deliver_due(&mut v, &|| clock.at(), t).expect("round");
    assert_eq!((round.delivered, round.failed), (0, 0));
    // A restart changes nothing: the outbox is in the database.
    drop(v);
    let mut v = s.vault();
    clock.advance(Duration::minutes(2) + Duration::seconds(1));
    let round = deliver_due(&mut v, &|| clock.at(), t).expect("round");
    assert_eq!((round.delivered, round.failed), (1, 0));
    clock.advance(Duration::hours(2));
    assert_eq!(
        deliver_due(&mut v, &|| clock.at(), t).expect("round"),
        Default::default()
    );

    let seen = r.seen();
    assert_eq!(seen.len(), 3);
    // The same message each time, so a receiver can drop a repeat.
    let ids: Vec<_> = seen
        .iter()
        .map(|q| q.header(webhook::DELIVERY_HEADER))
        .collect();
    assert!(
        ids.iter().all(|id| id.is_some() && *id == ids[0]),
        "{ids:?}"
    );
    let body = seen[2].json();
    assert_eq!(body["schema"], "tokenkeeper.alert");
    assert_eq!(body["version"], 1);
    assert_eq!(body["alerts"][0]["client"], "Acme");
    assert_eq!(body["alerts"][0]["state"], "renewal_required");
    assert_eq!(body["alerts"][0]["days_left"], 10);
    assert_eq!(body["alerts"][0]["identity"], "Acme Inc");
    // The signature verifies with another implementation (Python's hmac).
    let sig = seen[2]
        .header(webhook::SIGNATURE_HEADER)
        .expect("signature")
        .to_owned();
    let path = s.dir.path().join("body.json");
    std::fs::write(&path, &seen[2].body).expect("write");
    let out = Command::new("python3")
        .args([
            "-c",
            "import hmac,hashlib,sys; print('sha256=' + hmac.new(sys.argv[1].encode(), open(sys.argv[2],'rb').read(), hashlib.sha256).hexdigest())",
            KEY,
            &path.display().to_string(),
        ])
        .output()
        .expect("python3");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), sig);

    let events = format!("{:?}", v.events(&EventFilter::default()).expect("events"));
    assert!(
        events.contains("AlertFailed") && events.contains("AlertDelivered"),
        "{events}"
    );
    for secret in ["SECRET-PATH-TOKEN", KEY] {
        assert!(!events.contains(secret), "events hold {secret}");
        let db = s.db_files();
        assert!(
            !db.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "db holds {secret}"
        );
    }
}

#[test]
fn a_hanging_receiver_times_out_and_a_restart_mid_delivery_sends_once() {
    let (s, mut v) = Setup::new();
    let r = receiver(vec![Answer::Hang, Answer::Status(200)], None);
    webhook_channel(
        &mut v,
        "Slow",
        ChannelKind::Webhook,
        &r.url("http"),
        None,
        None,
    );
    v.queue_alerts(now()).expect("pass");
    let clock = Clock::new();
    let round = deliver_due(&mut v, &|| clock.at(), StdDuration::from_secs(2)).expect("round");
    assert_eq!(round.failed, 1);
    let ch = &v.channels().expect("channels")[0];
    assert!(
        ch.health
            .last_error
            .as_deref()
            .unwrap_or_default()
            .contains("no answer within 2 seconds"),
        "{ch:?}"
    );
    assert_eq!(ch.health.pending, 1);

    // A process claims the message and dies before sending it.
    clock.advance(Duration::minutes(2));
    let claimed = v.claim_deliveries(clock.at(), 10).expect("claim");
    assert_eq!(claimed.len(), 1);
    drop(v);
    let mut v = s.vault();
    let t = StdDuration::from_secs(5);
    assert_eq!(
        deliver_due(&mut v, &|| clock.at(), t).expect("round"),
        Default::default()
    );
    clock.advance(CLAIM_LEASE + Duration::seconds(1));
    assert_eq!(
        deliver_due(&mut v, &|| clock.at(), t)
            .expect("round")
            .delivered,
        1
    );
    clock.advance(Duration::days(1));
    assert_eq!(
        deliver_due(&mut v, &|| clock.at(), t).expect("round"),
        Default::default()
    );
    assert_eq!(r.seen().len(), 2, "one attempt that hung, one delivery");
}

#[test]
fn a_certificate_nobody_trusts_is_refused_and_the_test_ca_is_accepted() {
    let (s, mut v) = Setup::new();
    let p = pki(s.dir.path());
    let rogue = receiver(
        vec![Answer::Status(200)],
        Some((p.untrusted_cert.clone(), p.untrusted_key.clone())),
    );
    webhook_channel(
        &mut v,
        "Rogue",
        ChannelKind::Slack,
        &rogue.url("https"),
        None,
        Some(&p.ca),
    );
    let e = send_test(&mut v, "Rogue", now(), StdDuration::from_secs(5)).expect_err("untrusted");
    assert!(e.to_string().contains("TLS failure"), "{e}");
    assert!(!e.to_string().contains("SECRET-PATH-TOKEN"), "{e}");
    assert!(rogue.seen().is_empty());

    let good = receiver(
        vec![Answer::Status(200)],
        Some((p.cert.clone(), p.key.clone())),
    );
    webhook_channel(
        &mut v,
        "Teams",
        ChannelKind::Teams,
        &good.url("https"),
        None,
        Some(&p.ca),
    );
    send_test(&mut v, "Teams", now(), StdDuration::from_secs(5)).expect("trusted via the test CA");
    let body = good.seen()[0].json();
    assert_eq!(body["type"], "message");
    assert_eq!(
        body["attachments"][0]["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    let health = &v.channel("Teams").expect("channel").health;
    assert_eq!(health.last_success_at, Some(now()));
    assert_eq!(v.channel("Rogue").expect("channel").health.failures, 1);
}

#[test]
fn slack_and_teams_bodies_have_their_documented_shapes() {
    let (_s, mut v) = Setup::new();
    let slack = receiver(vec![Answer::Status(200)], None);
    let teams = receiver(vec![Answer::Status(202)], None);
    webhook_channel(
        &mut v,
        "Slack",
        ChannelKind::Slack,
        &slack.url("http"),
        None,
        None,
    );
    webhook_channel(
        &mut v,
        "Teams",
        ChannelKind::Teams,
        &teams.url("http"),
        None,
        None,
    );
    v.queue_alerts(now()).expect("pass");
    let clock = Clock::new();
    let round = deliver_due(&mut v, &|| clock.at(), StdDuration::from_secs(5)).expect("round");
    assert_eq!(round.delivered, 2);
    let s = slack.seen()[0].json();
    assert!(s["text"].as_str().expect("text").contains("Acme"));
    assert_eq!(s["blocks"][0]["type"], "header");
    let section = s["blocks"][2]["text"]["text"].as_str().expect("section");
    assert!(
        section.contains("Renewal Required") && section.contains("business.apple.com"),
        "{section}"
    );
    let t = teams.seen()[0].json();
    let card = &t["attachments"][0]["content"];
    assert_eq!(card["type"], "AdaptiveCard");
    assert_eq!(
        card["$schema"],
        "http://adaptivecards.io/schemas/adaptive-card.json"
    );
    let facts = card["body"][2]["facts"].as_array().expect("facts");
    assert!(
        facts
            .iter()
            .any(|f| f["title"] == "Client" && f["value"] == "Acme")
    );
    assert_eq!(card["actions"][0]["type"], "Action.OpenUrl");
    assert!(slack.seen()[0].header(webhook::SIGNATURE_HEADER).is_none());
}
