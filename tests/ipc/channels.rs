//! The team's channels through IPC: added with their secret (which goes to the keychain and
//! never comes back in any answer, success or error), listed with their health and the clients
//! they serve, tested against a receiver on 127.0.0.1 (and an SMTP port nobody listens on),
//! edited with a blank secret kept, removed with their secret. And a client's warning threshold
//! and contact address, saved with the client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use serde_json::{Value, json};

use super::Harness;

const TOKEN: &str = "T0KEN-ipc-7f3a9c";
const SIGNING: &str = "signing-key-ipc-41d2";
const PASSWORD: &str = "smtp-password-ipc-93b1";

/// A webhook receiver on 127.0.0.1 answering each post with `status`; the requests it got
/// (head and body) come out of the channel.
fn receiver(status: u16) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = tx.send(format!("{head}\n{}", String::from_utf8_lossy(&body)));
        }
    });
    (format!("http://127.0.0.1:{port}"), rx)
}

/// A port nothing listens on (bound, then let go).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn webhook_form(name: &str) -> Value {
    json!({ "name": name, "kind": "webhook", "to": [], "clients": null })
}

fn email_form(name: &str, port: u16, clients: Value) -> Value {
    json!({
        "name": name,
        "kind": "email",
        "smtp_server": format!("smtp://127.0.0.1:{port}"),
        "username": "alerts",
        "from": "alerts@msp.example",
        "to": ["noc@msp.example", " lead@msp.example "],
        "clients": clients,
    })
}

fn named<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no channel {name} in {list}"))
}

/// Everything the database holds on disk, to look for secrets in.
fn database_bytes(h: &Harness) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(h.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().contains("tk.db") {
            all.extend(std::fs::read(path).unwrap());
        }
    }
    all
}

#[test]
fn channels_are_added_tested_edited_and_removed_and_their_secrets_never_come_back() {
    let h = Harness::start();
    for secret in [TOKEN, SIGNING, PASSWORD] {
        h.forbid(secret);
    }
    h.add_client("Acme");
    h.add_client("Globex");
    let (base, posts) = receiver(200);
    let smtp = closed_port();

    let hook = h.ok(
        "add_channel",
        json!({
            "form": webhook_form("Tickets"),
            "secrets": { "url": format!("{base}/hooks/{TOKEN}"), "signing_key": SIGNING },
        }),
    );
    assert_eq!(hook["kind"], "webhook");
    assert_eq!(hook["endpoint"], base, "only the host is shown");
    assert_eq!(hook["clients"], Value::Null, "every client");
    let mail = h.ok(
        "add_channel",
        json!({
            "form": email_form("NOC mail", smtp, json!(["acme"])),
            "secrets": { "password": PASSWORD },
        }),
    );
    assert_eq!(mail["settings"]["host"], "127.0.0.1");
    assert_eq!(mail["settings"]["port"], smtp);
    assert_eq!(mail["settings"]["security"], "starttls");
    assert_eq!(mail["settings"]["username"], "alerts");
    assert_eq!(
        mail["settings"]["to"],
        json!(["noc@msp.example", "lead@msp.example"])
    );
    assert_eq!(mail["clients"], json!(["Acme"]));
    let accounts = format!("{:?}", h.secrets);
    assert_eq!(accounts.matches("channel/").count(), 2, "{accounts}");

    // A test over the webhook reaches the receiver, signed; its health says so.
    let tested = h.ok("test_channel", json!({ "name": "tickets" }));
    assert!(tested["health"]["last_success_at"].is_string(), "{tested}");
    assert_eq!(tested["health"]["failures"], 0);
    let post = posts
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    assert!(post.starts_with(&format!("POST /hooks/{TOKEN} ")), "{post}");
    assert!(
        post.to_ascii_lowercase()
            .contains("x-tokenkeeper-signature"),
        "{post}"
    );

    // A test over an SMTP server that does not answer fails with a clear reason, twice: then
    // the channel is a problem.
    for attempt in 1..=2 {
        let (kind, message) = h.err_body("test_channel", json!({ "name": "NOC mail" }));
        assert_eq!(kind, "invalid_input");
        assert!(
            message.starts_with("the test message to \"NOC mail\" failed: "),
            "{message}"
        );
        let listed = h.ok("list_channels", json!({}));
        let health = &named(&listed, "NOC mail")["health"];
        assert_eq!(health["failures"], attempt);
        assert_eq!(health["problem"], attempt >= 2);
        assert!(health["last_failure_at"].is_string());
        assert!(!health["last_error"].as_str().unwrap().is_empty());
    }

    // Edit: a blank secret keeps the stored one; the public part changes.
    let edited = h.ok(
        "update_channel",
        json!({
            "name": "NOC mail",
            "form": {
                "name": "Team mail",
                "kind": "email",
                "smtp_server": format!("smtps://127.0.0.1:{smtp}"),
                "username": "alerts",
                "from": "alerts@msp.example",
                "to": ["noc@msp.example"],
                "clients": null,
            },
            "secrets": { "password": "" },
        }),
    );
    assert_eq!(edited["name"], "Team mail");
    assert_eq!(edited["settings"]["security"], "tls");
    assert_eq!(edited["clients"], Value::Null);
    assert_eq!(
        h.err(
            "update_channel",
            json!({ "name": "Team mail", "form": webhook_form("Team mail"), "secrets": {} }),
        ),
        "invalid_input",
        "a channel keeps its kind"
    );
    // A new URL for the webhook: its endpoint follows, the signing key stays.
    let (other, other_posts) = receiver(200);
    let moved = h.ok(
        "update_channel",
        json!({
            "name": "Tickets",
            "form": webhook_form("Tickets"),
            "secrets": { "url": format!("{other}/v2/{TOKEN}") },
        }),
    );
    assert_eq!(moved["endpoint"], other);
    h.ok("test_channel", json!({ "name": "Tickets" }));
    let post = other_posts
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    assert!(
        post.to_ascii_lowercase()
            .contains("x-tokenkeeper-signature"),
        "still signed: {post}"
    );

    // Nothing secret in the database or the audit log.
    let db = database_bytes(&h);
    for secret in [TOKEN, SIGNING, PASSWORD] {
        assert!(
            !db.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the database holds {secret}"
        );
    }
    h.ok(
        "list_events",
        json!({ "query": { "client": null, "kinds": [], "limit": 0 } }),
    );

    // Remove, with their secrets.
    h.ok("remove_channel", json!({ "name": "tickets" }));
    h.ok("remove_channel", json!({ "name": "Team mail" }));
    assert_eq!(h.ok("list_channels", json!({})), json!([]));
    assert_eq!(
        h.err("remove_channel", json!({ "name": "Tickets" })),
        "not_found"
    );
    assert_eq!(
        h.err("test_channel", json!({ "name": "Tickets" })),
        "not_found"
    );
    let accounts = format!("{:?}", h.secrets);
    assert!(!accounts.contains("channel/"), "{accounts}");
}

#[test]
fn channel_forms_are_checked_and_errors_never_repeat_a_secret() {
    let h = Harness::start();
    for secret in [TOKEN, SIGNING, PASSWORD] {
        h.forbid(secret);
    }
    h.add_client("Acme");
    // A webhook that is not https (nor on this computer): refused without repeating the URL.
    let (kind, message) = h.err_body(
        "add_channel",
        json!({
            "form": webhook_form("Tickets"),
            "secrets": { "url": format!("http://hooks.example.com/{TOKEN}") },
        }),
    );
    assert_eq!(kind, "invalid_input");
    assert!(message.contains("https://"), "{message}");
    assert_eq!(
        h.err(
            "add_channel",
            json!({ "form": { "name": "Slack", "kind": "slack", "to": [], "clients": null }, "secrets": {} }),
        ),
        "invalid_input",
        "a Slack channel needs its URL"
    );
    let mut no_server = email_form("Mail", 587, Value::Null);
    no_server["smtp_server"] = json!("");
    let (_, message) = h.err_body(
        "add_channel",
        json!({ "form": no_server, "secrets": { "password": PASSWORD } }),
    );
    assert!(message.contains("SMTP server"), "{message}");
    let mut bad_to = email_form("Mail", 587, Value::Null);
    bad_to["to"] = json!(["not an address"]);
    assert_eq!(
        h.err(
            "add_channel",
            json!({ "form": bad_to, "secrets": { "password": PASSWORD } })
        ),
        "invalid_input"
    );
    assert_eq!(
        h.err(
            "add_channel",
            json!({ "form": email_form("Mail", 587, Value::Null), "secrets": {} }),
        ),
        "invalid_input",
        "an SMTP account needs its password"
    );
    assert_eq!(
        h.err(
            "add_channel",
            json!({ "form": email_form("Mail", 587, json!(["Nobody Inc"])), "secrets": { "password": PASSWORD } }),
        ),
        "not_found"
    );
    assert_eq!(h.ok("list_channels", json!({})), json!([]));
    let accounts = format!("{:?}", h.secrets);
    assert!(!accounts.contains("channel/"), "nothing kept: {accounts}");
}

#[test]
fn a_client_keeps_its_warning_threshold_and_contact() {
    let h = Harness::start();
    let acme = h.ok(
        "add_client",
        json!({
            "name": "Acme",
            "portal": "business",
            "notes": "",
            "alerting": { "warn_days": 60, "contact_email": "it@acme.example" },
        }),
    );
    assert_eq!(acme["name"], "Acme");
    assert_eq!(
        h.ok("client_alerting", json!({ "name": "acme" })),
        json!({ "warn_days": 60, "contact_email": "it@acme.example" })
    );
    // Without alerting (an older caller, or `null`): left as it is.
    h.ok(
        "update_client",
        json!({ "name": "Acme", "newName": "Acme Corp", "portal": "business", "notes": "x", "alerting": null }),
    );
    assert_eq!(
        h.ok("client_alerting", json!({ "name": "Acme Corp" }))["warn_days"],
        60
    );
    // A threshold that is not one of the four, or a contact that is no address: nothing changes,
    // not even the name.
    for alerting in [
        json!({ "warn_days": 50, "contact_email": null }),
        json!({ "warn_days": 30, "contact_email": "nobody" }),
    ] {
        assert_eq!(
            h.err(
                "update_client",
                json!({ "name": "Acme Corp", "newName": "Renamed", "portal": "school", "notes": "", "alerting": alerting }),
            ),
            "invalid_input"
        );
    }
    assert_eq!(h.ok("list_clients", json!({}))[0]["name"], "Acme Corp");
    // Back to the vault's threshold, nobody to tell.
    h.ok(
        "update_client",
        json!({
            "name": "Acme Corp", "newName": "Acme Corp", "portal": "business", "notes": "",
            "alerting": { "warn_days": null, "contact_email": "  " },
        }),
    );
    assert_eq!(
        h.ok("client_alerting", json!({ "name": "Acme Corp" })),
        json!({ "warn_days": null, "contact_email": null })
    );
    assert_eq!(
        h.err("client_alerting", json!({ "name": "Nobody" })),
        "not_found"
    );
}
