//! Jamf Pro: an API client's OAuth token (`POST /api/oauth/token`), then the ADE instances
//! (`/api/v1/device-enrollments`), the volume purchasing locations
//! (`/api/v1/volume-purchasing-locations`), both paged, and the notifications: Jamf publishes no
//! date for its push certificate, only `PUSH_CERT_WILL_EXPIRE` and `PUSH_CERT_EXPIRED`.

use serde::Deserialize;
use serde_json::Value;
use tokenkeeper_core::Kind;
use tokenkeeper_core::mdm::{Held, Notice, Vendor};

use crate::SyncError;
use crate::connector::{Connector, MAX_PAGES, date, endless, text};
use crate::http::{Auth, Session};

pub(crate) struct Jamf;

const PAGE_SIZE: usize = 100;

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
#[serde(rename_all = "camelCase")]
struct Page<T> {
    total_count: Option<u64>,
    #[serde(default)]
    results: Vec<T>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Enrollment {
    server_name: Option<Value>,
    name: Option<Value>,
    org_name: Option<Value>,
    admin_id: Option<Value>,
    token_expiration_date: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    organization_name: Option<Value>,
    location_name: Option<Value>,
    name: Option<Value>,
    apple_id: Option<Value>,
    email: Option<Value>,
    token_expiration: Option<Value>,
    client_context_mismatch: Option<Value>,
}

#[derive(Deserialize)]
struct Notification {
    #[serde(rename = "type")]
    kind: Option<Value>,
}

fn paged<T: for<'de> Deserialize<'de>>(
    s: &mut Session<'_>,
    path: &str,
) -> Result<Vec<T>, SyncError> {
    let mut out = Vec::new();
    for page in 0..MAX_PAGES {
        let target = format!("{path}?page={page}&page-size={PAGE_SIZE}");
        let Some(p) = s.get::<Page<T>>(&target, false)? else {
            return Ok(out);
        };
        let got = p.results.len();
        out.extend(p.results);
        let total = p.total_count.unwrap_or(0);
        if got == 0 || out.len() as u64 >= total {
            return Ok(out);
        }
    }
    Err(endless(path))
}

impl Connector for Jamf {
    fn vendor(&self) -> Vendor {
        Vendor::Jamf
    }

    fn fetch(&self, s: &mut Session<'_>) -> Result<Vec<Held>, SyncError> {
        s.set_auth(Auth::ClientCredentials {
            token_url: format!("{}/api/oauth/token", s.base),
            extra: Vec::new(),
            token: None,
        });
        let notifications: Vec<String> = s
            .get::<Vec<Notification>>("/api/v1/notifications", true)?
            .unwrap_or_default()
            .iter()
            .filter_map(|n| text(n.kind.as_ref()))
            .collect();
        let has = |t: &str| notifications.iter().any(|n| n == t);
        let mut held = Vec::new();
        let push_notice = if has("PUSH_CERT_EXPIRED") {
            Some(Notice::Expired)
        } else if has("PUSH_CERT_WILL_EXPIRE") {
            Some(Notice::ExpiresSoon)
        } else {
            None
        };
        if push_notice.is_some() {
            let mut h = Held::new(Kind::PushCertificate);
            h.notice = push_notice;
            held.push(h);
        }
        let terms = has("DEVICE_ENROLLMENT_PROGRAM_T_C_NOT_SIGNED");
        for e in paged::<Enrollment>(s, "/api/v1/device-enrollments")? {
            let mut h = Held::new(Kind::ServerToken);
            h.server_name = text(e.server_name.as_ref()).or_else(|| text(e.name.as_ref()));
            h.org_name = text(e.org_name.as_ref());
            h.apple_account = text(e.admin_id.as_ref());
            h.expires_at = date(e.token_expiration_date.as_ref());
            h.notice = terms.then_some(Notice::TermsNotAccepted);
            held.push(h);
        }
        for l in paged::<Location>(s, "/api/v1/volume-purchasing-locations")? {
            let mut h = Held::new(Kind::ContentToken);
            h.org_name = text(l.organization_name.as_ref());
            h.location = text(l.location_name.as_ref()).or_else(|| text(l.name.as_ref()));
            h.apple_account = text(l.apple_id.as_ref()).or_else(|| text(l.email.as_ref()));
            h.expires_at = date(l.token_expiration.as_ref());
            h.notice = (l.client_context_mismatch == Some(Value::Bool(true)))
                .then_some(Notice::AssignedElsewhere);
            held.push(h);
        }
        Ok(held)
    }
}
