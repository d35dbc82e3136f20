//! E-mail through a real SMTP server (aiosmtpd from Debian's python3-aiosmtpd) on 127.0.0.1:
//! STARTTLS and implicit TLS against a test CA, a required sign-in, several recipients and the
//! client's contact address; a wrong password and an unreachable server keep the alert.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration as StdDuration;

use base64::Engine as _;
use chrono::Duration;
use tokenkeeper_channels::{deliver_due, send_test};
use tokenkeeper_core::vault::{
    ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, EventFilter, SmtpSecurity,
};
use tokenkeeper_core::{Error, Vault};
use zeroize::Zeroizing;

use super::{Clock, Setup, now, pki};

const USER: &str = "alerts";
const PASSWORD: &str = "Correct-Horse-SMTP-Secret";
const T: StdDuration = StdDuration::from_secs(10);

struct Server {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Debian's aiosmtpd lives with Debian's Python.
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

fn server(dir: &Path, cert: &Path, key: &Path, mode: &str) -> Server {
    let out = dir.join(format!("mail-{mode}"));
    std::fs::create_dir_all(&out).expect("dir");
    let port = free_port();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/delivery/smtp_server.py");
    let mut child = Command::new(python())
        .arg(script)
        .arg(&out)
        .arg(port.to_string())
        .arg(cert)
        .arg(key)
        .args([USER, PASSWORD, mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 with aiosmtpd (Debian: python3-aiosmtpd; scripts/setup.sh installs it)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("ready");
    assert_eq!(line.trim(), "ready", "the SMTP server did not start");
    Server {
        child,
        port,
        dir: out,
    }
}

fn channel(
    v: &mut Vault,
    name: &str,
    port: u16,
    security: SmtpSecurity,
    ca: &Path,
    password: &str,
) {
    let spec = ChannelSpec {
        name: name.to_owned(),
        kind: ChannelKind::Email,
        settings: ChannelSettings {
            host: "localhost".to_owned(),
            port,
            security,
            username: Some(USER.to_owned()),
            from: Some("tokenkeeper@msp.example".to_owned()),
            to: vec!["noc@msp.example".to_owned(), "lead@msp.example".to_owned()],
            ca_file: Some(ca.display().to_string()),
        },
        clients: None,
    };
    let secret = ChannelSecret {
        url: None,
        password: Some(Zeroizing::new(password.to_owned())),
        signing_key: None,
    };
    v.add_channel(&spec, &secret, now()).expect("channel");
}

/// The saved messages: (envelope recipients, headers, decoded text), in arrival order.
fn mails(dir: &Path) -> Vec<(Vec<String>, String, String)> {
    let mut out = Vec::new();
    for n in 0.. {
        let Ok(meta) = std::fs::read_to_string(dir.join(format!("{n}.json"))) else {
            break;
        };
        let meta: serde_json::Value = serde_json::from_str(&meta).expect("meta");
        let to = meta["to"]
            .as_array()
            .expect("to")
            .iter()
            .map(|t| t.as_str().unwrap_or_default().to_owned())
            .collect();
        let raw = std::fs::read_to_string(dir.join(format!("{n}.eml"))).expect("eml");
        let (headers, body) = raw.split_once("\r\n\r\n").expect("headers");
        let b64: String = body.split_whitespace().collect();
        let text = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64 body");
        out.push((
            to,
            headers.to_owned(),
            String::from_utf8(text).expect("utf-8"),
        ));
    }
    out
}

#[test]
fn starttls_with_sign_in_delivers_to_every_recipient_and_the_client_contact() {
    let (s, mut v) = Setup::new();
    let p = pki(s.dir.path());
    let smtp = server(s.dir.path(), &p.cert, &p.key, "starttls");
    channel(
        &mut v,
        "NOC mail",
        smtp.port,
        SmtpSecurity::Starttls,
        &p.ca,
        PASSWORD,
    );
    let report = v.queue_alerts(now()).expect("pass");
    assert_eq!((report.alerts, report.messages), (1, 2));
    let clock = Clock::new();
    let round = deliver_due(&mut v, &|| clock.at(), T).expect("round");
    assert_eq!((round.delivered, round.failed), (2, 0));
    let got = mails(&smtp.dir);
    assert_eq!(got.len(), 2);
    let (to, headers, text) = &got[0];
    assert_eq!(to, &["noc@msp.example", "lead@msp.example"]);
    assert!(
        headers.contains("From: TokenKeeper <tokenkeeper@msp.example>"),
        "{headers}"
    );
    assert!(
        headers.contains("To: noc@msp.example, lead@msp.example"),
        "{headers}"
    );
    assert!(
        headers.contains(
            "Subject: [TokenKeeper] Acme: Apps and Books \"Main Street\" expires in 10 days"
        ),
        "{headers}"
    );
    assert!(headers.contains("Message-ID: <"), "{headers}");
    for words in [
        "Acme",
        "Main Street",
        "Organisation: Acme Inc",
        "Renewal Required",
        "https://business.apple.com",
    ] {
        assert!(text.contains(words), "{words} missing from {text}");
    }
    // The client's own contact is told too.
    assert!(
        got[1].0.contains(&"it@acme.example".to_owned()),
        "{:?}",
        got[1].0
    );
    let events = format!("{:?}", v.events(&EventFilter::default()).expect("events"));
    assert!(!events.contains(PASSWORD));
    assert!(
        !s.db_files()
            .windows(PASSWORD.len())
            .any(|w| w == PASSWORD.as_bytes())
    );
}

#[test]
fn implicit_tls_works_too() {
    let (s, mut v) = Setup::new();
    let p = pki(s.dir.path());
    let smtp = server(s.dir.path(), &p.cert, &p.key, "tls");
    channel(
        &mut v,
        "Mail",
        smtp.port,
        SmtpSecurity::Tls,
        &p.ca,
        PASSWORD,
    );
    send_test(&mut v, "Mail", now(), T).expect("test message");
    let got = mails(&smtp.dir);
    assert_eq!(got.len(), 1);
    assert!(
        got[0]
            .1
            .contains("Subject: [TokenKeeper] TokenKeeper test message for \"Mail\"")
    );
}

#[test]
fn a_wrong_password_or_no_server_is_a_clear_error_and_the_alert_stays() {
    let (s, mut v) = Setup::new();
    let p = pki(s.dir.path());
    let smtp = server(s.dir.path(), &p.cert, &p.key, "starttls");
    channel(
        &mut v,
        "Wrong",
        smtp.port,
        SmtpSecurity::Starttls,
        &p.ca,
        "not-the-password",
    );
    let e = send_test(&mut v, "Wrong", now(), T).expect_err("refused");
    assert!(matches!(e, Error::InvalidInput { .. }));
    let text = e.to_string();
    assert!(text.contains("refused the user name or password"), "{text}");
    assert!(!text.contains("not-the-password"), "{text}");

    v.queue_alerts(now()).expect("pass");
    let clock = Clock::new();
    let round = deliver_due(&mut v, &|| clock.at(), T).expect("round");
    assert_eq!(round.failed, 2);
    assert_eq!(v.channel("Wrong").expect("channel").health.pending, 2);
    v.remove_channel("Wrong", now()).expect("remove");

    // Nothing listens on this port.
    let port = free_port();
    channel(
        &mut v,
        "Gone",
        port,
        SmtpSecurity::Starttls,
        &p.ca,
        PASSWORD,
    );
    let e = send_test(&mut v, "Gone", now(), T).expect_err("unreachable");
    assert!(e.to_string().contains("refused the connection"), "{e}");
    // The alert was queued before this channel existed; a new milestone reaches it.
    clock.advance(Duration::days(4));
    v.queue_alerts(clock.at()).expect("pass");
    let round = deliver_due(&mut v, &|| clock.at(), T).expect("round");
    assert_eq!((round.delivered, round.failed), (0, 2));
    let ch = v.channel("Gone").expect("channel");
    assert_eq!(ch.health.pending, 2);
    assert!(ch.health.problem, "{ch:?}");
    assert!(mails(&smtp.dir).is_empty());
}
