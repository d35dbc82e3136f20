//! The fakes' HTTP/1.1 over TLS: one request per connection, recorded, authenticated as the
//! vendor does, answered from the script or the routes, then closed.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use openssl::ssl::SslAcceptor;
use serde_json::{Value, json};
use tokenkeeper_core::mdm::Vendor;

use super::{CLIENT_ID, Recorded, Reply, SECRET, State, TENANT, lock};

/// Whether `path` is `vendor`'s token endpoint.
pub(super) fn is_token_path(vendor: Vendor, path: &str) -> bool {
    match vendor {
        Vendor::Intune => path == format!("/{TENANT}/oauth2/v2.0/token"),
        Vendor::Jamf => path == "/api/oauth/token",
        _ => false,
    }
}

pub(super) fn serve(
    stream: TcpStream,
    addr: SocketAddr,
    acceptor: &SslAcceptor,
    state: &Mutex<State>,
    stop: &AtomicBool,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(mut stream) = acceptor.accept(stream) else {
        return;
    };
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
        if data.len() > 64 * 1024 {
            return;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(64 * 1024);
    let mut body = data[head_end..].to_vec();
    while body.len() < length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&buf[..n]),
        }
    }
    // `/t/NAME/...`: a tenant of this fake; `hang…` never answers.
    let (prefix, path) = match target.strip_prefix("/t/") {
        Some(rest) => {
            let (name, path) = rest.split_once('/').unwrap_or((rest, ""));
            (format!("/t/{name}"), format!("/{path}"))
        }
        None => (String::new(), target.clone()),
    };
    let base = format!("https://127.0.0.1:{}{prefix}", addr.port());
    let recorded = Recorded {
        method,
        path,
        headers,
    };
    let reply = if prefix.starts_with("/t/hang") {
        Reply::stall()
    } else {
        let mut s = lock(state);
        s.requests.push(recorded.clone());
        let bare = recorded
            .path
            .split('?')
            .next()
            .unwrap_or_default()
            .to_owned();
        let scripted = match s
            .scripted
            .get_mut(&recorded.path)
            .and_then(VecDeque::pop_front)
        {
            Some(r) => Some(r),
            None => s.scripted.get_mut(&bare).and_then(VecDeque::pop_front),
        };
        match scripted {
            Some(r) => r,
            None => respond(&mut s, &recorded, &bare, &body, &base),
        }
    };
    if reply.stall {
        let until = Instant::now() + Duration::from_secs(60);
        while Instant::now() < until && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50));
        }
        return;
    }
    let sent: &[u8] = if reply.cut {
        &reply.body.as_bytes()[..reply.body.len() / 2]
    } else {
        reply.body.as_bytes()
    };
    let mut out = format!("HTTP/1.1 {} Status\r\n", reply.status);
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(sent);
    let _ = stream.flush();
    let _ = stream.shutdown();
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => out.push(b),
                    Err(_) => out.push(b'%'),
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn unauthorized() -> Reply {
    Reply::json(401, &json!({"error": "unauthorized"}))
}

fn respond(s: &mut State, r: &Recorded, bare: &str, body: &[u8], base: &str) -> Reply {
    let header = |name: &str| {
        r.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if r.method == "POST" && is_token_path(s.vendor, bare) {
        let f = form(body);
        let get = |k: &str| f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        if get("grant_type") != Some("client_credentials")
            || get("client_id") != Some(CLIENT_ID)
            || get("client_secret") != Some(SECRET)
        {
            return Reply::json(401, &json!({"error": "invalid_client"}));
        }
        s.issued += 1;
        let token = format!("fake-access-token-{}", s.issued);
        s.tokens.insert(token.clone());
        return Reply::json(
            200,
            &json!({"access_token": token, "token_type": "Bearer", "expires_in": 1199}),
        );
    }
    if r.method != "GET" {
        return Reply::json(405, &json!({"error": "read-only fake: only GET"}));
    }
    let authorized = match s.vendor {
        Vendor::Intune | Vendor::Jamf => header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .is_some_and(|t| s.tokens.contains(t)),
        Vendor::Fleet | Vendor::Kandji => {
            header("authorization") == Some(&format!("Bearer {SECRET}"))
        }
        Vendor::Simplemdm => {
            let basic = base64::engine::general_purpose::STANDARD.encode(format!("{SECRET}:"));
            header("authorization") == Some(&format!("Basic {basic}"))
        }
        Vendor::Jumpcloud => header("x-api-key") == Some(SECRET),
    };
    if !authorized {
        return unauthorized();
    }
    let found = s
        .routes
        .get(&r.path)
        .or_else(|| s.routes.get(bare))
        .cloned();
    match found {
        Some(v) => Reply::new(200, &with_base(v, base).to_string()),
        None => Reply::json(404, &json!({"error": "not found"})),
    }
}

/// `{base}` in every string of `v` replaced by `base`.
fn with_base(v: Value, base: &str) -> Value {
    match v {
        Value::String(s) => Value::String(s.replace("{base}", base)),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| with_base(v, base)).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (k, with_base(v, base)))
                .collect(),
        ),
        other => other,
    }
}
