//! Fleet: an API token as bearer; `GET /api/v1/fleet/apns` (the topic's UUID in `common_name`
//! as `APSP:<uuid>`, the serial in decimal), `abm_tokens` (newer releases: `ab_tokens`) and
//! `vpp_tokens`.

use serde::Deserialize;
use serde_json::Value;
use tokenkeeper_core::Kind;
use tokenkeeper_core::mdm::{Held, Notice, Vendor, normalize_serial};

use crate::SyncError;
use crate::connector::{Connector, date, text};
use crate::http::{Auth, Session};

pub(crate) struct Fleet;

#[derive(Deserialize)]
struct Apns {
    common_name: Option<Value>,
    serial_number: Option<Value>,
    renew_date: Option<Value>,
}

#[derive(Deserialize)]
struct AbmTokens {
    #[serde(default, alias = "ab_tokens")]
    abm_tokens: Option<Vec<Abm>>,
}

#[derive(Deserialize)]
struct Abm {
    apple_id: Option<Value>,
    org_name: Option<Value>,
    renew_date: Option<Value>,
    terms_expired: Option<Value>,
}

#[derive(Deserialize)]
struct VppTokens {
    #[serde(default)]
    vpp_tokens: Option<Vec<Vpp>>,
}

#[derive(Deserialize)]
struct Vpp {
    org_name: Option<Value>,
    location: Option<Value>,
    renew_date: Option<Value>,
}

impl Connector for Fleet {
    fn vendor(&self) -> Vendor {
        Vendor::Fleet
    }

    fn fetch(&self, s: &mut Session<'_>) -> Result<Vec<Held>, SyncError> {
        s.set_auth(Auth::Bearer);
        let mut held = Vec::new();
        if let Some(apns) = s.get::<Apns>("/api/v1/fleet/apns", true)? {
            let mut h = Held::new(Kind::PushCertificate);
            h.topic = text(apns.common_name.as_ref())
                .map(|cn| cn.strip_prefix("APSP:").unwrap_or(&cn).trim().to_owned());
            h.serial = text(apns.serial_number.as_ref()).and_then(|v| normalize_serial(&v, true));
            h.expires_at = date(apns.renew_date.as_ref());
            if h.topic.is_some() || h.expires_at.is_some() {
                held.push(h);
            }
        }
        let abm = match s.get::<AbmTokens>("/api/v1/fleet/abm_tokens", true)? {
            Some(t) => Some(t),
            None => s.get::<AbmTokens>("/api/v1/fleet/ab_tokens", true)?,
        };
        for t in abm.and_then(|t| t.abm_tokens).unwrap_or_default() {
            let mut h = Held::new(Kind::ServerToken);
            h.apple_account = text(t.apple_id.as_ref());
            h.org_name = text(t.org_name.as_ref());
            h.expires_at = date(t.renew_date.as_ref());
            h.notice =
                (t.terms_expired == Some(Value::Bool(true))).then_some(Notice::TermsNotAccepted);
            held.push(h);
        }
        let vpp = s.get::<VppTokens>("/api/v1/fleet/vpp_tokens", true)?;
        for t in vpp.and_then(|t| t.vpp_tokens).unwrap_or_default() {
            let mut h = Held::new(Kind::ContentToken);
            h.org_name = text(t.org_name.as_ref());
            h.location = text(t.location.as_ref());
            h.expires_at = date(t.renew_date.as_ref());
            held.push(h);
        }
        Ok(held)
    }
}
