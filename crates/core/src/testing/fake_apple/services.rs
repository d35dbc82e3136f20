//! What Apple answers when nothing is scripted: the Device Assignment API's `/session` and
//! `/account`, and the Apps and Books API's `client/config`.

use serde_json::json;

use super::{APPS_AND_BOOKS_PREFIX, Recorded, Reply, State, oauth};

/// Apple's normal behaviour, when nothing is scripted.
pub(super) fn respond(s: &mut State, r: &Recorded) -> Reply {
    match (r.method.as_str(), r.path.as_str()) {
        ("GET", "/session") => {
            let consumer_key = oauth::params(r.header("authorization").unwrap_or_default())
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
