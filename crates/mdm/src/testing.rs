//! A fake of each vendor's API on 127.0.0.1 over TLS, with a certificate from a test CA made
//! in code, for tests and the benchmark. It answers the documented JSON shapes (pagination
//! included), checks each vendor's authentication (issuing OAuth tokens it can later expire,
//! so a 401 needs a new token), records every request, can be scripted per path with canned
//! failures (status, `Retry-After`, a stalled or cut connection, any body), and refuses any
//! call other than the documented read-only `GET`s and token requests.
//!
//! Base URLs of the form `https://127.0.0.1:PORT/t/NAME` reach the same fake as
//! `https://127.0.0.1:PORT` (many tenants on one server); a `NAME` starting with `hang` is
//! accepted and never answered, as a console that hangs.

mod data;
mod server;
mod tls;

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use secrecy::SecretString;
use serde_json::Value;
use tokenkeeper_core::mdm::Vendor;

pub use tls::test_ca_pem;

use crate::Endpoint;

/// The API secret every fake accepts.
pub const SECRET: &str = "mdm-api-secret-for-tests-7f3a9c";
/// The OAuth client id the Intune and Jamf fakes accept.
pub const CLIENT_ID: &str = "tokenkeeper-test-client";
/// The Intune tenant the fake serves.
pub const TENANT: &str = "tenant-0001";
/// The value of Intune's `vppTokens.token` in the fake's answers: must never be stored.
pub const VPP_TOKEN_VALUE: &str = "VPP-TOKEN-SECRET-eyJleHBEYXRlIjoi";
/// The push topic the fakes hold by default.
pub const TOPIC: &str = "com.apple.mgmt.External.0c1d2e3f-aaaa-bbbb-cccc-1234567890ab";

/// One request as received (path with its query, the `/t/NAME` prefix removed).
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `POST`, ...
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Lowercased header names with their values.
    pub headers: Vec<(String, String)>,
}

/// A canned reply.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
    /// Accept the request and never answer.
    pub stall: bool,
    /// Announce more bytes than sent, then close.
    pub cut: bool,
}

impl Reply {
    /// A reply with `status` and `body`.
    pub fn new(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
            stall: false,
            cut: false,
        }
    }

    /// A JSON reply.
    pub fn json(status: u16, body: &Value) -> Self {
        Self::new(status, &body.to_string())
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Never answers.
    pub fn stall() -> Self {
        Self {
            stall: true,
            ..Self::new(200, "")
        }
    }

    /// Announces the whole body, sends half of it and closes.
    pub fn cut(body: &str) -> Self {
        Self {
            cut: true,
            ..Self::new(200, body)
        }
    }
}

struct State {
    vendor: Vendor,
    routes: HashMap<String, Value>,
    scripted: HashMap<String, VecDeque<Reply>>,
    requests: Vec<Recorded>,
    tokens: HashSet<String>,
    issued: u64,
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A fake console. Stops when dropped.
pub struct FakeMdm {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl FakeMdm {
    /// Starts a fake of `vendor`'s API holding its default data ([`FakeMdm::set`] changes it).
    pub fn start(vendor: Vendor) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            vendor,
            routes: data::defaults(vendor),
            scripted: HashMap::new(),
            requests: Vec::new(),
            tokens: HashSet::new(),
            issued: 0,
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = tls::acceptor();
        let (s, st) = (Arc::clone(&state), Arc::clone(&stop));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (s, st, acceptor) = (Arc::clone(&s), Arc::clone(&st), Arc::clone(&acceptor));
                std::thread::spawn(move || server::serve(stream, addr, &acceptor, &s, &st));
            }
        });
        Self { addr, state, stop }
    }

    /// The fake's base URL.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.addr.port())
    }

    /// A base URL for tenant `name` on this fake (`hang…` never answers).
    pub fn tenant_url(&self, name: &str) -> String {
        format!("{}/t/{name}", self.url())
    }

    /// An endpoint that reads this fake with the right secret and the test CA.
    pub fn endpoint(&self) -> Endpoint {
        let vendor = lock(&self.state).vendor;
        endpoint(vendor, &self.url())
    }

    /// Makes `path` (with its query, if the connector sends one) answer `body`; `{base}` in
    /// strings becomes the base URL the request came through.
    pub fn set(&self, path: &str, body: Value) {
        lock(&self.state).routes.insert(path.to_owned(), body);
    }

    /// Makes `path` answer 404.
    pub fn remove(&self, path: &str) {
        lock(&self.state).routes.remove(path);
    }

    /// Queues `reply` for the next request to `path` (path and query, or path alone).
    pub fn script(&self, path: &str, reply: Reply) {
        lock(&self.state)
            .scripted
            .entry(path.to_owned())
            .or_default()
            .push_back(reply);
    }

    /// Every OAuth token issued so far stops working: the next call gets a 401.
    pub fn expire_tokens(&self) {
        lock(&self.state).tokens.clear();
    }

    /// Every request so far.
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

    /// Forgets the requests so far.
    pub fn clear_requests(&self) {
        lock(&self.state).requests.clear();
    }

    /// Panics unless every request was a `GET` or a token request of this vendor.
    pub fn assert_read_only(&self) {
        let vendor = lock(&self.state).vendor;
        for r in self.requests() {
            let path = r.path.split('?').next().unwrap_or_default();
            let ok =
                r.method == "GET" || (r.method == "POST" && server::is_token_path(vendor, path));
            assert!(ok, "not a read-only call: {} {}", r.method, r.path);
        }
    }
}

/// An endpoint of `vendor` at `url` with the fakes' secret, ids and CA.
pub fn endpoint(vendor: Vendor, url: &str) -> Endpoint {
    Endpoint {
        vendor,
        url: url.to_owned(),
        tenant: (vendor == Vendor::Intune).then(|| TENANT.to_owned()),
        client_id: vendor.needs_client_id().then(|| CLIENT_ID.to_owned()),
        ca_pem: Some(test_ca_pem().to_owned()),
        secret: SecretString::from(SECRET),
    }
}

impl Drop for FakeMdm {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}
