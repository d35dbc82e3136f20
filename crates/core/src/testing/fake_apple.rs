//! A fake of Apple's two services on 127.0.0.1, for the core's and the CLI's tests: the Device
//! Assignment API (`GET /session`, `GET /account`) and the Apps and Books API
//! (`GET /mdm/v2/client/config`). It records every request (method, path, headers), verifies
//! each OAuth 1.0a signature with its own RFC 5849 implementation (independent of the client's
//! signer, so a wrong signature fails), and can be scripted per path with canned replies:
//! quoted or unquoted bodies, JSON errors with HTTP 200, `Retry-After`, a stalled connection.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use serde_json::{Value, json};

use super::ServerTokenSpec;
use crate::apple::AppleEndpoints;

/// Path prefix of the fake Apps and Books API (Apple's is `/mdm/v2`).
pub const APPS_AND_BOOKS_PREFIX: &str = "/mdm/v2";

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Header names lowercased, in the order received.
    pub headers: Vec<(String, String)>,
    /// For `/session`: whether the OAuth signature verified (RFC 5849, HMAC-SHA1).
    pub oauth_valid: Option<bool>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A canned reply.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Accept the request, then never answer.
    pub stall: bool,
}

impl Reply {
    pub fn new(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
            stall: false,
        }
    }

    pub fn json(status: u16, body: &Value) -> Self {
        Self::new(status, &body.to_string()).header("Content-Type", "application/json")
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn stall() -> Self {
        Self {
            stall: true,
            ..Self::new(200, "")
        }
    }
}

/// The OAuth values Apple knows for one MDM server, and what its `/account` returns.
struct DepServer {
    consumer_secret: String,
    access_token: String,
    access_secret: String,
    account: Value,
}

#[derive(Default)]
struct State {
    dep: HashMap<String, DepServer>,
    vpp: HashMap<String, Value>,
    sessions: HashMap<String, String>,
    nonces: HashSet<String>,
    scripted: HashMap<String, VecDeque<Reply>>,
    rotate_sessions: bool,
    requests: Vec<Recorded>,
    counter: u64,
}

/// The fake server. Stops when dropped.
pub struct FakeApple {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeApple {
    /// Starts a server on 127.0.0.1 with a free port.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (Arc::clone(&state), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (s, st) = (Arc::clone(&s), Arc::clone(&st));
                std::thread::spawn(move || serve(stream, addr, &s, &st));
            }
        });
        Self { addr, state, stop }
    }

    /// The endpoints a vault uses to reach this fake, with a time limit.
    pub fn endpoints(&self, timeout: Duration) -> AppleEndpoints {
        AppleEndpoints {
            device_assignment: self.device_assignment_url(),
            apps_and_books: self.apps_and_books_url(),
            timeout,
        }
    }

    pub fn device_assignment_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn apps_and_books_url(&self) -> String {
        format!("http://{}{APPS_AND_BOOKS_PREFIX}", self.addr)
    }

    /// Makes Apple know a server token: its OAuth values and what `/account` answers.
    pub fn add_server_token(&self, spec: &ServerTokenSpec, account: Value) {
        self.add_oauth(
            &spec.consumer_key,
            &spec.consumer_secret,
            &spec.access_token,
            &spec.access_secret,
            account,
        );
    }

    /// Makes Apple know OAuth values (to register other secrets than a token's, say).
    pub fn add_oauth(
        &self,
        consumer_key: &str,
        consumer_secret: &str,
        access_token: &str,
        access_secret: &str,
        account: Value,
    ) {
        lock(&self.state).dep.insert(
            consumer_key.to_owned(),
            DepServer {
                consumer_secret: consumer_secret.to_owned(),
                access_token: access_token.to_owned(),
                access_secret: access_secret.to_owned(),
                account,
            },
        );
    }

    /// Makes Apple know a content token (the file content) and what `client/config` answers.
    pub fn add_content_token(&self, file: &[u8], config: Value) {
        let bearer = String::from_utf8_lossy(file).trim().to_owned();
        lock(&self.state).vpp.insert(bearer, config);
    }

    /// Queues a canned reply for the next request to `path` (`/session`, `/account`,
    /// `/mdm/v2/client/config`); replies are used in order, then the normal behaviour resumes.
    pub fn script(&self, path: &str, reply: Reply) {
        lock(&self.state)
            .scripted
            .entry(path.to_owned())
            .or_default()
            .push_back(reply);
    }

    /// When on, `/session` answers with a session token in its body but a newer one in
    /// `X-ADM-Auth-Session`, and only the newer one is accepted.
    pub fn rotate_sessions(&self, on: bool) {
        lock(&self.state).rotate_sessions = on;
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.state).requests.clone()
    }

    /// `METHOD path` of every request so far.
    pub fn calls(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    pub fn clear_requests(&self) {
        lock(&self.state).requests.clear();
    }

    /// Panics unless every request was one of the three read-only calls, each as Apple
    /// expects it: `/session` with a valid OAuth signature, `/account` with a session, protocol
    /// version 3 or later and a User-Agent, `client/config` with a Bearer token.
    pub fn assert_read_only(&self) {
        for r in self.requests() {
            let call = format!("{} {}", r.method, r.path);
            match call.as_str() {
                "GET /session" => {
                    assert_eq!(r.oauth_valid, Some(true), "OAuth signature of {r:?}");
                }
                "GET /account" => {
                    assert!(r.header("x-adm-auth-session").is_some(), "{r:?}");
                    let version: u32 = r
                        .header("x-server-protocol-version")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    assert!(version >= 3, "protocol version of {r:?}");
                    assert!(r.header("user-agent").is_some(), "{r:?}");
                }
                c if c == format!("GET {APPS_AND_BOOKS_PREFIX}/client/config") => {
                    assert!(
                        r.header("authorization")
                            .is_some_and(|a| a.starts_with("Bearer ")),
                        "{r:?}"
                    );
                }
                other => panic!("not a read-only check call: {other}"),
            }
        }
    }
}

impl Drop for FakeApple {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

/// `/account` as micromdm's sample shows it (`shared/fixtures/external/micromdm/`).
pub fn sample_account() -> Value {
    let path = super::external_fixture("micromdm/account_response.json");
    let text = std::fs::read_to_string(&path).expect("micromdm account_response.json");
    serde_json::from_str(&text).expect("sample account JSON")
}

/// A `client/config` answer.
pub fn client_config(
    location: &str,
    uid: &str,
    expires_at: DateTime<Utc>,
    mdm: Option<&str>,
) -> Value {
    let mut config = json!({
        "locationName": location,
        "uId": uid,
        "tokenExpirationDate": expires_at.format("%Y-%m-%dT%H:%M:%S%z").to_string(),
        "countryISO2ACode": "US",
        "defaultPlatform": "volumestore",
        "notificationTypes": [],
    });
    if let Some(name) = mdm {
        config["mdmInfo"] = json!({"id": format!("id-{name}"), "metadata": "", "name": name});
    }
    config
}

fn serve(mut stream: TcpStream, addr: SocketAddr, state: &Mutex<State>, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let path = target.split('?').next().unwrap_or_default().to_owned();
    let mut recorded = Recorded {
        method,
        path: path.clone(),
        headers,
        oauth_valid: None,
    };
    let reply = {
        let mut s = lock(state);
        if recorded.path == "/session" {
            recorded.oauth_valid = Some(verify_oauth(&mut s, &recorded, addr).is_some());
        }
        s.requests.push(recorded.clone());
        match s.scripted.get_mut(&path).and_then(VecDeque::pop_front) {
            Some(reply) => reply,
            None => respond(&mut s, &recorded),
        }
    };
    if reply.stall {
        let until = Instant::now() + Duration::from_secs(30);
        while Instant::now() < until && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50));
        }
        return;
    }
    let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{}",
        reply.body.len(),
        reply.body
    ));
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Apple's normal behaviour, when nothing is scripted.
fn respond(s: &mut State, r: &Recorded) -> Reply {
    match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/session") => {
            let consumer_key = oauth_params(r.header("authorization").unwrap_or_default())
                .get("oauth_consumer_key")
                .cloned();
            let (Some(true), Some(consumer_key)) = (r.oauth_valid, consumer_key) else {
                return Reply::new(401, "\"signature_invalid\"");
            };
            s.counter += 1;
            let token = format!("session-{}-{}", s.counter, consumer_key.len());
            if s.rotate_sessions {
                let newer = format!("rotated-{}", s.counter);
                s.sessions.insert(newer.clone(), consumer_key);
                Reply::json(200, &json!({ "auth_session_token": token }))
                    .header("X-ADM-Auth-Session", &newer)
            } else {
                s.sessions.insert(token.clone(), consumer_key);
                Reply::json(200, &json!({ "auth_session_token": token }))
            }
        }
        ("GET", "/account") => {
            let server = r
                .header("x-adm-auth-session")
                .and_then(|t| s.sessions.get(t))
                .and_then(|ck| s.dep.get(ck));
            match server {
                Some(server) => Reply::json(200, &server.account),
                None => Reply::new(401, "UNAUTHORIZED"),
            }
        }
        ("GET", p) if p == format!("{APPS_AND_BOOKS_PREFIX}/client/config") => {
            let config = r
                .header("authorization")
                .and_then(|a| a.strip_prefix("Bearer "))
                .and_then(|b| s.vpp.get(b.trim()));
            match config {
                Some(config) => Reply::json(200, config),
                None => Reply::json(
                    401,
                    &json!({"errorNumber": 9622, "errorMessage": "Invalid authentication token"}),
                ),
            }
        }
        _ => Reply::new(404, "NOT_FOUND"),
    }
}

// --- RFC 5849, written from the RFC for the fake, independently of the client's signer. ---

/// Section 3.6: unreserved characters stay, every other byte is `%XX` (uppercase).
fn rfc3986(value: &str) -> String {
    const UNRESERVED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    value
        .bytes()
        .map(|b| {
            if UNRESERVED.contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn unescape(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Section 3.5.1: `OAuth realm="...", name="value", ...`, values percent-encoded.
fn oauth_params(header: &str) -> HashMap<String, String> {
    let Some(rest) = header.strip_prefix("OAuth ") else {
        return HashMap::new();
    };
    rest.split(',')
        .filter_map(|part| part.trim().split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), unescape(v.trim().trim_matches('"'))))
        .collect()
}

/// Verifies `/session`'s signature; `Some(())` when Apple would accept it.
fn verify_oauth(s: &mut State, r: &Recorded, addr: SocketAddr) -> Option<()> {
    let params = oauth_params(r.header("authorization")?);
    if params.get("oauth_signature_method").map(String::as_str) != Some("HMAC-SHA1") {
        return None;
    }
    if params.get("oauth_version").is_some_and(|v| v != "1.0") {
        return None;
    }
    params.get("oauth_timestamp")?.parse::<i64>().ok()?;
    let nonce = params.get("oauth_nonce")?;
    let server = s.dep.get(params.get("oauth_consumer_key")?)?;
    if params.get("oauth_token")? != &server.access_token {
        return None;
    }
    // Section 3.4.1: method, base string URI (http, lowercase host, explicit port), params.
    let host = r
        .header("host")
        .map_or_else(|| addr.to_string(), str::to_ascii_lowercase);
    let uri = format!("http://{host}{}", r.path);
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k.as_str() != "oauth_signature" && k.as_str() != "realm")
        .map(|(k, v)| (rfc3986(k), rfc3986(v)))
        .collect();
    pairs.sort();
    let normalized: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let base = format!(
        "{}&{}&{}",
        r.method,
        rfc3986(&uri),
        rfc3986(&normalized.join("&"))
    );
    // Section 3.4.2: key = encoded consumer secret & encoded token secret.
    let key = format!(
        "{}&{}",
        rfc3986(&server.consumer_secret),
        rfc3986(&server.access_secret)
    );
    let pkey = PKey::hmac(key.as_bytes()).ok()?;
    let mut signer = Signer::new(MessageDigest::sha1(), &pkey).ok()?;
    signer.update(base.as_bytes()).ok()?;
    let expected = STANDARD.encode(signer.sign_to_vec().ok()?);
    if params.get("oauth_signature")? != &expected {
        return None;
    }
    // A nonce is good once.
    let nonce = nonce.clone();
    if !s.nonces.insert(nonce) {
        return None;
    }
    Some(())
}
