//! Channels, `watch` and the monitoring outputs through the built binary: a webhook receiver on
//! 127.0.0.1, `promtool check metrics` on the Prometheus output, the Nagios line and exit code
//! in every state, and no channel secret in any output or in the database file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use chrono::{Duration, SecondsFormat, Utc};
use common::Env;
use tokenkeeper_core::testing::ContentTokenSpec;

const TOKEN: &str = "T0K3N-in-the-url-path";
const KEY: &str = "webhook-signing-key-SECRET";

/// A receiver that answers 200 and records each body with its headers.
fn receiver() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut s) = conn else { continue };
            let mut head = Vec::new();
            let mut b = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if s.read(&mut b).unwrap_or(0) == 0 {
                    break;
                }
                head.push(b[0]);
            }
            let text = String::from_utf8_lossy(&head).to_string();
            let len = text
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            let _ = s.read_exact(&mut body);
            record
                .lock()
                .unwrap()
                .push(format!("{text}{}", String::from_utf8_lossy(&body)));
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (port, seen)
}

fn rfc(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Acme with one Apps and Books token expiring in 100 days.
fn acme(env: &Env) -> chrono::DateTime<Utc> {
    let expiry = Utc::now() + Duration::days(100);
    env.tk().args(["client", "add", "Acme"]).assert().success();
    let token = env.file(
        "acme.vpptoken",
        &ContentTokenSpec::new("Acme Inc", expiry).build(),
    );
    env.tk()
        .args(["import", "--client", "Acme", "--label", "Main \"Street\""])
        .arg(&token)
        .assert()
        .success();
    expiry
}

fn nagios(env: &Env, at: chrono::DateTime<Utc>) -> (String, i32) {
    let out = env
        .tk()
        .args(["status", "--format", "nagios", "--at", &rfc(at)])
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn nagios_line_and_exit_code_in_every_state() {
    let env = Env::new();
    let (line, code) = nagios(&env, Utc::now());
    assert_eq!(code, 0, "{line}");
    assert!(
        line.starts_with("TOKENKEEPER OK - no credentials"),
        "{line}"
    );
    let expiry = acme(&env);
    for (at, code, word) in [
        (Utc::now(), 0, "OK"),
        (expiry - Duration::days(10), 1, "WARNING"),
        (expiry + Duration::days(3), 2, "CRITICAL"),
        (expiry + Duration::days(60), 2, "CRITICAL"),
    ] {
        let (line, got) = nagios(&env, at);
        assert_eq!(got, code, "{line}");
        assert!(
            line.starts_with(&format!("TOKENKEEPER {word} - ")),
            "{line}"
        );
        assert_eq!(line.lines().count(), 1, "{line}");
        let (_, perf) = line.split_once(" | ").expect("perfdata");
        assert!(perf.contains("total=1;;;0;"), "{perf}");
    }
    // A vault that cannot be read: UNKNOWN, exit 3.
    let bad = env.file("not-a-db.db", b"this is not a database, not at all, no");
    let out = assert_cmd::Command::cargo_bin("tokenkeeper")
        .unwrap()
        .arg("--db")
        .arg(&bad)
        .args(["status", "--format", "nagios"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("TOKENKEEPER UNKNOWN - "));
}

#[test]
fn prometheus_output_passes_promtool_and_follows_the_client_threshold() {
    let env = Env::new();
    let expiry = acme(&env);
    env.tk()
        .args(["client", "edit", "Acme", "--warn-days", "90"])
        .assert()
        .success();
    let out = env
        .tk()
        .args(["status", "--format", "prometheus"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "tokenkeeper_credential_expiry_timestamp_seconds{{client=\"Acme\",kind=\"content_token\",name=\"Main \\\"Street\\\"\"}} {}",
            expiry.timestamp()
        )),
        "{text}"
    );
    assert!(text.contains("state=\"active\"} 1"), "{text}");
    assert!(text.contains("tokenkeeper_credential_warning_window_seconds{client=\"Acme\",kind=\"content_token\",name=\"Main \\\"Street\\\"\"} 7776000"), "{text}");
    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian: prometheus; scripts/setup.sh installs it)");
    promtool
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let checked = promtool.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
    // 90 days: Renewal Required 80 days before expiry, in every output.
    let at = rfc(expiry - Duration::days(80));
    let v = env.json(&["status", "--json", "--at", &at]).0;
    assert_eq!(v[0]["state"], "renewal_required");
    env.tk()
        .args(["client", "edit", "Acme", "--warn-days", "31"])
        .assert()
        .failure();
    env.tk()
        .args(["client", "edit", "Acme", "--warn-days", "default"])
        .assert()
        .success();
    let v = env.json(&["status", "--json", "--at", &at]).0;
    assert_eq!(v[0]["state"], "active");
}

#[test]
fn a_webhook_channel_gets_its_test_and_each_alert_once_without_its_secrets_showing() {
    let env = Env::new();
    let expiry = acme(&env);
    env.tk()
        .args([
            "client",
            "edit",
            "Acme",
            "--warn-days",
            "90",
            "--contact",
            "it@acme.example",
        ])
        .assert()
        .success();
    let (port, seen) = receiver();
    let url = format!("http://127.0.0.1:{port}/hooks/{TOKEN}");
    env.tk()
        .env("TOKENKEEPER_WEBHOOK_SECRET", KEY)
        .args([
            "channel",
            "add",
            "Tickets",
            "--webhook",
            &url,
            "--format",
            "generic",
        ])
        .assert()
        .success();
    env.tk()
        .args(["channel", "test", "Tickets"])
        .assert()
        .success();
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert!(
        seen.lock().unwrap()[0]
            .to_ascii_lowercase()
            .contains("x-tokenkeeper-signature: sha256=")
    );

    // 100 days left with a 90-day threshold: nothing due yet.
    env.tk().args(["watch", "--once"]).assert().success();
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert!(expiry > Utc::now());
    // A token 20 days from expiry: one alert, delivered once, whatever the number of passes.
    let soon = env.file(
        "harbour.vpptoken",
        &ContentTokenSpec::new("Acme Harbour", Utc::now() + Duration::days(20)).build(),
    );
    env.tk()
        .args(["import", "--client", "Acme", "--label", "Harbour"])
        .arg(&soon)
        .assert()
        .success();
    env.tk().args(["watch", "--once"]).assert().success();
    env.tk().args(["watch", "--once"]).assert().success();
    let got = seen.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[1].contains("\"label\":\"Harbour\"") && got[1].contains("\"version\":1"),
        "{}",
        got[1]
    );

    // An unreachable channel keeps failing: a problem in status and the Nagios line.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    env.tk()
        .env("TOKENKEEPER_WEBHOOK_SECRET", KEY)
        .args([
            "channel",
            "add",
            "Gone",
            "--webhook",
            &format!("http://127.0.0.1:{closed}/x"),
            "--format",
            "slack",
        ])
        .assert()
        .success();
    for _ in 0..2 {
        let _ = env.tk().args(["channel", "test", "Gone"]).output().unwrap();
    }
    let out = env.tk().args(["status"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Problem: channel \"Gone\" keeps failing")
    );
    let (line, code) = nagios(&env, Utc::now());
    assert_eq!(code, 1, "{line}");
    assert!(line.contains("failing channels: Gone"), "{line}");

    let (list, _) = env.json(&["channel", "list", "--json"]);
    let list_text = list.to_string();
    assert_eq!(list[1]["name"], "Tickets");
    assert_eq!(list[1]["endpoint"], format!("http://127.0.0.1:{port}"));
    let events = env.tk().args(["events", "--json"]).output().unwrap();
    let events = String::from_utf8_lossy(&events.stdout).to_string();
    assert!(
        events.contains("alert_delivered") && events.contains("alert_failed"),
        "{events}"
    );
    let mut db = Vec::new();
    for suffix in ["", "-wal"] {
        let mut p = env.db().into_os_string();
        p.push(suffix);
        db.extend(std::fs::read(p).unwrap_or_default());
    }
    for secret in [TOKEN, KEY] {
        assert!(!list_text.contains(secret), "channel list shows {secret}");
        assert!(!events.contains(secret), "events show {secret}");
        assert!(
            !db.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "db holds {secret}"
        );
    }
    env.tk()
        .args(["channel", "remove", "Gone"])
        .assert()
        .success();
    env.tk()
        .args(["channel", "remove", "Tickets"])
        .assert()
        .success();
    let (list, _) = env.json(&["channel", "list", "--json"]);
    assert_eq!(list, serde_json::json!([]));
}
