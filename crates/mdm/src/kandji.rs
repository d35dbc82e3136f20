//! Kandji: an API token as bearer on the tenant's URL; `GET /api/v1/integrations/apple/ade`
//! (a list, or a page with `results` and `next`). Kandji publishes no push certificate or Apps
//! and Books token.

use serde::Deserialize;
use serde_json::Value;
use tokenkeeper_core::Kind;
use tokenkeeper_core::mdm::{Held, Vendor};

use crate::SyncError;
use crate::connector::{Connector, MAX_PAGES, date, endless, text};
use crate::http::{Auth, Session};

pub(crate) struct Kandji;

const ADE: &str = "/api/v1/integrations/apple/ade";

#[derive(Deserialize)]
#[serde(untagged)]
enum Answer {
    List(Vec<Ade>),
    Page {
        #[serde(default)]
        results: Vec<Ade>,
        next: Option<String>,
    },
}

#[derive(Deserialize)]
struct Ade {
    server_name: Option<Value>,
    access_token_expiry: Option<Value>,
    admin_id: Option<Value>,
    org_name: Option<Value>,
}

impl Connector for Kandji {
    fn vendor(&self) -> Vendor {
        Vendor::Kandji
    }

    fn fetch(&self, s: &mut Session<'_>) -> Result<Vec<Held>, SyncError> {
        s.set_auth(Auth::Bearer);
        let mut all = Vec::new();
        let mut target = ADE.to_owned();
        let mut done = false;
        for _ in 0..MAX_PAGES {
            match s.get::<Answer>(&target, true)? {
                None => {}
                Some(Answer::List(list)) => all.extend(list),
                Some(Answer::Page { results, next }) => {
                    all.extend(results);
                    if let Some(next) = next.filter(|n| !n.is_empty()) {
                        target = next;
                        continue;
                    }
                }
            }
            done = true;
            break;
        }
        if !done {
            return Err(endless(ADE));
        }
        Ok(all
            .into_iter()
            .map(|a| {
                let mut h = Held::new(Kind::ServerToken);
                h.server_name = text(a.server_name.as_ref());
                h.apple_account = text(a.admin_id.as_ref());
                h.org_name = text(a.org_name.as_ref());
                h.expires_at = date(a.access_token_expiry.as_ref());
                h
            })
            .collect())
    }
}
