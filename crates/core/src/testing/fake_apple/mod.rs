//! A fake of Apple's two services on 127.0.0.1, for the core's and the CLI's tests: the Device
//! Assignment API (`GET /session`, `GET /account`) and the Apps and Books API
//! (`GET /mdm/v2/client/config`). It records every request (method, path, headers), verifies
//! each OAuth 1.0a signature with its own RFC 5849 implementation (independent of the client's
//! signer, so a wrong signature fails), and can be scripted per path with canned replies:
//! quoted or unquoted bodies, JSON errors with HTTP 200, `Retry-After`, a stalled connection.

mod bodies;
mod http;
mod oauth;
mod services;

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::Value;

pub use bodies::{client_config, sample_account};

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
                std::thread::spawn(move || http::serve(stream, addr, &s, &st));
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
