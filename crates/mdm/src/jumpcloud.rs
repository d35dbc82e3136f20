//! JumpCloud: the API key in `x-api-key` (and `x-org-id` for a multi-tenant administrator);
//! `GET /api/v2/applemdms` (paged by `skip`), one object per Apple MDM holding both the push
//! certificate's and the ADE token's dates. JumpCloud publishes no Apps and Books token.

use serde::Deserialize;
use serde_json::Value;
use tokenkeeper_core::Kind;
use tokenkeeper_core::mdm::{Held, Notice, Vendor, normalize_serial};

use crate::SyncError;
use crate::connector::{Connector, MAX_PAGES, date, endless, text};
use crate::http::{Auth, Session};

pub(crate) struct JumpCloud;

const MDMS: &str = "/api/v2/applemdms";
const LIMIT: usize = 100;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppleMdm {
    name: Option<Value>,
    apns_cert_expiry: Option<Value>,
    #[serde(rename = "appleCertCreatorAppleID")]
    creator: Option<Value>,
    apple_cert_serial_number: Option<Value>,
    dep_access_token_expiry: Option<Value>,
    dep_server_token_state: Option<Value>,
}

impl Connector for JumpCloud {
    fn vendor(&self) -> Vendor {
        Vendor::Jumpcloud
    }

    fn fetch(&self, s: &mut Session<'_>) -> Result<Vec<Held>, SyncError> {
        s.set_auth(Auth::ApiKey);
        let mut held = Vec::new();
        for page in 0..MAX_PAGES {
            let target = format!("{MDMS}?limit={LIMIT}&skip={}", page * LIMIT);
            let list = s.get::<Vec<AppleMdm>>(&target, false)?.unwrap_or_default();
            let n = list.len();
            for m in list {
                let push_expiry = date(m.apns_cert_expiry.as_ref());
                if push_expiry.is_some() {
                    let mut h = Held::new(Kind::PushCertificate);
                    h.expires_at = push_expiry;
                    h.apple_account = text(m.creator.as_ref());
                    h.serial = text(m.apple_cert_serial_number.as_ref())
                        .and_then(|v| normalize_serial(&v, false));
                    held.push(h);
                }
                let dep_expiry = date(m.dep_access_token_expiry.as_ref());
                if dep_expiry.is_some() {
                    let mut h = Held::new(Kind::ServerToken);
                    h.expires_at = dep_expiry;
                    h.server_name = text(m.name.as_ref());
                    h.notice = match text(m.dep_server_token_state.as_ref()).as_deref() {
                        Some("expired") => Some(Notice::Expired),
                        Some("invalid" | "revoked") => Some(Notice::Invalid),
                        _ => None,
                    };
                    held.push(h);
                }
            }
            if n < LIMIT {
                return Ok(held);
            }
        }
        Err(endless(MDMS))
    }
}
