//! SimpleMDM: the API key as the HTTP Basic user name; `GET /api/v1/push_certificate` (Apple
//! Account and expiry, no topic) and `GET /api/v1/dep_servers` (paged by `starting_after`).
//! SimpleMDM publishes no Apps and Books token.

use serde::Deserialize;
use serde_json::Value;
use tokenkeeper_core::Kind;
use tokenkeeper_core::mdm::{Held, Vendor};

use crate::SyncError;
use crate::connector::{Connector, MAX_PAGES, date, endless, text};
use crate::http::{Auth, Session};

pub(crate) struct SimpleMdm;

const DEP: &str = "/api/v1/dep_servers";

#[derive(Deserialize)]
struct One {
    data: Option<Item<PushAttributes>>,
}

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct Item<T> {
    id: Option<Value>,
    attributes: Option<T>,
}

#[derive(Deserialize)]
struct PushAttributes {
    apple_id: Option<Value>,
    expires_at: Option<Value>,
}

#[derive(Deserialize)]
struct List {
    #[serde(default)]
    data: Vec<Item<DepAttributes>>,
    has_more: Option<bool>,
}

#[derive(Deserialize)]
struct DepAttributes {
    server_name: Option<Value>,
    organization_name: Option<Value>,
    token_expires_at: Option<Value>,
}

impl Connector for SimpleMdm {
    fn vendor(&self) -> Vendor {
        Vendor::Simplemdm
    }

    fn fetch(&self, s: &mut Session<'_>) -> Result<Vec<Held>, SyncError> {
        s.set_auth(Auth::Basic);
        let mut held = Vec::new();
        if let Some(push) = s
            .get::<One>("/api/v1/push_certificate", true)?
            .and_then(|o| o.data)
            .and_then(|d| d.attributes)
        {
            let mut h = Held::new(Kind::PushCertificate);
            h.apple_account = text(push.apple_id.as_ref());
            h.expires_at = date(push.expires_at.as_ref());
            if h.expires_at.is_some() {
                held.push(h);
            }
        }
        let mut after: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let target = match &after {
                Some(id) => format!("{DEP}?limit=100&starting_after={id}"),
                None => format!("{DEP}?limit=100"),
            };
            let Some(list) = s.get::<List>(&target, true)? else {
                return Ok(held);
            };
            let last = list.data.last().and_then(|i| text(i.id.as_ref()));
            for item in list.data {
                let Some(a) = item.attributes else { continue };
                let mut h = Held::new(Kind::ServerToken);
                h.server_name = text(a.server_name.as_ref());
                h.org_name = text(a.organization_name.as_ref());
                h.expires_at = date(a.token_expires_at.as_ref());
                held.push(h);
            }
            match (list.has_more, last) {
                (Some(true), Some(id)) if id.chars().all(|c| c.is_ascii_alphanumeric()) => {
                    after = Some(id);
                }
                _ => return Ok(held),
            }
        }
        Err(endless(DEP))
    }
}
