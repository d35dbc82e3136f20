//! A small SMTP client (RFC 5321) for one message at a time: implicit TLS or STARTTLS (never
//! in the clear), AUTH PLAIN or LOGIN, several recipients. Errors quote the server's reply
//! code and text, never the password.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use native_tls::{TlsConnector, TlsStream};
use tokenkeeper_core::vault::{ChannelSettings, DeliveryFailure, SmtpSecurity};
use zeroize::Zeroizing;

fn failure(message: impl Into<String>) -> DeliveryFailure {
    DeliveryFailure {
        message: message.into(),
        retry_after: None,
    }
}

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
    Gone,
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
            Stream::Gone => Err(std::io::ErrorKind::NotConnected.into()),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
            Stream::Gone => Err(std::io::ErrorKind::NotConnected.into()),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
            Stream::Gone => Ok(()),
        }
    }
}

struct Session {
    stream: Stream,
    host: String,
    timeout: Duration,
}

/// A reply: its code and its text lines.
struct Reply {
    code: u16,
    text: String,
}

impl Session {
    fn read_line(&mut self) -> Result<String, DeliveryFailure> {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        loop {
            match self.stream.read(&mut byte) {
                Ok(0) => return Err(failure("the SMTP server closed the connection")),
                Ok(_) => {}
                Err(e) => return Err(failure(io_words(&e, self.timeout))),
            }
            if byte[0] == b'\n' {
                break;
            }
            if line.len() > 4096 {
                return Err(failure("the SMTP server's reply is far too long"));
            }
            line.push(byte[0]);
        }
        Ok(String::from_utf8_lossy(&line).trim_end().to_owned())
    }

    fn reply(&mut self) -> Result<Reply, DeliveryFailure> {
        let mut text = Vec::new();
        for _ in 0..100 {
            let line = self.read_line()?;
            let code = line
                .get(..3)
                .and_then(|c| c.parse::<u16>().ok())
                .ok_or_else(|| failure("the SMTP server's reply is not SMTP"))?;
            let more = line.as_bytes().get(3) == Some(&b'-');
            text.push(line.get(4..).unwrap_or_default().to_owned());
            if !more {
                return Ok(Reply {
                    code,
                    text: text.join("\n"),
                });
            }
        }
        Err(failure("the SMTP server's reply never ends"))
    }

    fn send(&mut self, line: &str) -> Result<(), DeliveryFailure> {
        self.stream
            .write_all(format!("{line}\r\n").as_bytes())
            .and_then(|()| self.stream.flush())
            .map_err(|e| failure(io_words(&e, self.timeout)))
    }

    /// Sends `line` and expects a reply code in `ok`; `what` names the step in the error.
    fn command(&mut self, line: &str, ok: &[u16], what: &str) -> Result<Reply, DeliveryFailure> {
        self.send(line)?;
        self.expect(ok, what)
    }

    fn expect(&mut self, ok: &[u16], what: &str) -> Result<Reply, DeliveryFailure> {
        let r = self.reply()?;
        if ok.contains(&r.code) {
            Ok(r)
        } else {
            Err(failure(format!(
                "the SMTP server {} refused {what}: {} {}",
                self.host,
                r.code,
                printable(&r.text)
            )))
        }
    }

    fn starttls(&mut self, tls: &TlsConnector) -> Result<(), DeliveryFailure> {
        let Stream::Plain(tcp) = std::mem::replace(&mut self.stream, Stream::Gone) else {
            return Err(failure("STARTTLS on a connection already encrypted"));
        };
        let s = tls.connect(&self.host, tcp).map_err(|e| {
            failure(format!(
                "TLS failure with the SMTP server (certificate not trusted?): {e}"
            ))
        })?;
        self.stream = Stream::Tls(Box::new(s));
        Ok(())
    }
}

/// The server's text made safe to show (printable, at most 200 characters).
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(200)
        .collect()
}

fn io_words(e: &std::io::Error, timeout: Duration) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => {
            "the SMTP server refused the connection".to_owned()
        }
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            format!(
                "the SMTP server did not answer within {} seconds",
                timeout.as_secs()
            )
        }
        _ => format!("the connection to the SMTP server failed: {e}"),
    }
}

fn connector(ca_file: Option<&str>) -> Result<TlsConnector, DeliveryFailure> {
    let mut b = TlsConnector::builder();
    if let Some(path) = ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| failure(format!("cannot read the CA file {path}: {e}")))?;
        let cert = native_tls::Certificate::from_pem(&pem)
            .map_err(|_| failure(format!("the CA file {path} holds no PEM certificate")))?;
        b.add_root_certificate(cert);
    }
    b.build()
        .map_err(|e| failure(format!("TLS unavailable: {e}")))
}

/// A header value on one line (no CR/LF: no header injection), RFC 2047-encoded when it is
/// not ASCII.
fn header_value(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.is_ascii() {
        flat
    } else {
        format!("=?UTF-8?B?{}?=", STANDARD.encode(flat.as_bytes()))
    }
}

/// The whole message: headers, then the text as base64 lines (UTF-8 safe on any server).
pub fn compose(
    from: &str,
    to: &[String],
    subject: &str,
    text: &str,
    id: &str,
    now: DateTime<Utc>,
) -> String {
    let domain = from.rsplit('@').next().unwrap_or("tokenkeeper.invalid");
    let encoded = STANDARD.encode(text.replace('\n', "\r\n").as_bytes());
    let mut body = String::new();
    for chunk in encoded.as_bytes().chunks(76) {
        body.push_str(&String::from_utf8_lossy(chunk));
        body.push_str("\r\n");
    }
    format!(
        "From: TokenKeeper <{from}>\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{}@{}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\nX-TokenKeeper-Message: {}\r\n\r\n{body}",
        to.join(", "),
        header_value(subject),
        now.to_rfc2822(),
        header_value(id),
        header_value(domain),
        header_value(id),
    )
}

/// Sends one message through the channel's SMTP server.
pub fn send(
    settings: &ChannelSettings,
    password: Option<&Zeroizing<String>>,
    recipients: &[String],
    message: &str,
    timeout: Duration,
) -> Result<(), DeliveryFailure> {
    let from = settings.from.as_deref().unwrap_or_default();
    let tls = connector(settings.ca_file.as_deref())?;
    let addr = (settings.host.as_str(), settings.port)
        .to_socket_addrs()
        .map_err(|_| {
            failure(format!(
                "SMTP server {} not found: check its name",
                settings.host
            ))
        })?
        .next()
        .ok_or_else(|| failure(format!("SMTP server {} not found", settings.host)))?;
    let tcp =
        TcpStream::connect_timeout(&addr, timeout).map_err(|e| failure(io_words(&e, timeout)))?;
    let _ = tcp.set_read_timeout(Some(timeout));
    let _ = tcp.set_write_timeout(Some(timeout));
    let mut s = Session {
        stream: Stream::Plain(tcp),
        host: settings.host.clone(),
        timeout,
    };
    if settings.security == SmtpSecurity::Tls {
        s.starttls(&tls)?;
    }
    s.expect(&[220], "the connection")?;
    let mut ehlo = s.command("EHLO tokenkeeper", &[250], "EHLO")?;
    if settings.security == SmtpSecurity::Starttls {
        if !has(&ehlo.text, "STARTTLS") {
            return Err(failure(format!(
                "the SMTP server {} does not offer STARTTLS: TokenKeeper never sends in the clear",
                settings.host
            )));
        }
        s.command("STARTTLS", &[220], "STARTTLS")?;
        s.starttls(&tls)?;
        ehlo = s.command("EHLO tokenkeeper", &[250], "EHLO")?;
    }
    if let Some(user) = &settings.username {
        let password =
            password.ok_or_else(|| failure("the SMTP password is missing: edit the channel"))?;
        let auth = ehlo
            .text
            .lines()
            .find(|l| l.to_ascii_uppercase().starts_with("AUTH"))
            .unwrap_or_default()
            .to_ascii_uppercase();
        let refused = |r: DeliveryFailure| {
            failure(format!(
                "the SMTP server refused the user name or password ({})",
                r.message.rsplit(": ").next().unwrap_or_default()
            ))
        };
        if auth.split_whitespace().any(|m| m == "PLAIN") {
            let token = Zeroizing::new(format!("\0{user}\0{}", password.as_str()));
            let line = Zeroizing::new(format!("AUTH PLAIN {}", STANDARD.encode(token.as_bytes())));
            s.command(&line, &[235], "the sign-in").map_err(refused)?;
        } else if auth.split_whitespace().any(|m| m == "LOGIN") {
            s.command("AUTH LOGIN", &[334], "the sign-in")?;
            s.command(&STANDARD.encode(user.as_bytes()), &[334], "the sign-in")
                .map_err(refused)?;
            let line = Zeroizing::new(STANDARD.encode(password.as_bytes()));
            s.command(&line, &[235], "the sign-in").map_err(refused)?;
        } else {
            return Err(failure(format!(
                "the SMTP server {} offers no sign-in TokenKeeper knows (PLAIN or LOGIN)",
                settings.host
            )));
        }
    }
    s.command(&format!("MAIL FROM:<{from}>"), &[250], "the sender")?;
    for to in recipients {
        s.command(
            &format!("RCPT TO:<{to}>"),
            &[250, 251],
            &format!("the recipient {to}"),
        )?;
    }
    s.command("DATA", &[354], "the message")?;
    // Dot-stuffing: a line starting with "." gets another.
    let mut data = String::with_capacity(message.len() + 16);
    for line in message.trim_end_matches("\r\n").split("\r\n") {
        if line.starts_with('.') {
            data.push('.');
        }
        data.push_str(line);
        data.push_str("\r\n");
    }
    data.push('.');
    s.command(&data, &[250], "the message")?;
    let _ = s.send("QUIT");
    Ok(())
}

fn has(ehlo: &str, ext: &str) -> bool {
    ehlo.lines().any(|l| {
        l.split_whitespace()
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case(ext))
    })
}
