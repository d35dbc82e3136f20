//! Microsoft Intune through Microsoft Graph: OAuth 2.0 client credentials for a tenant, then
//! the APNs certificate (v1.0), the ADE onboarding settings (beta) and the VPP tokens (v1.0),
//! following `@odata.nextLink`. A VPP token's `token` field holds the token itself: it is never
//! declared here, so it is never read into anything.

use serde::Deserialize;
use serde_json::Value;
use tokenkeeper_core::Kind;
use tokenkeeper_core::mdm::{Held, Notice, Vendor, normalize_serial};

use crate::SyncError;
use crate::connector::{Connector, MAX_PAGES, date, endless, text};
use crate::http::{Auth, Session};

pub(crate) struct Intune;

/// Graph's public cloud; a national cloud or a test server serves its own token endpoint.
const GRAPH: &str = "https://graph.microsoft.com";
const LOGIN: &str = "https://login.microsoftonline.com";

const APNS: &str = "/v1.0/deviceManagement/applePushNotificationCertificate";
const DEP: &str = "/beta/deviceManagement/depOnboardingSettings";
const VPP: &str = "/v1.0/deviceAppManagement/vppTokens";

#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct Page<T> {
    #[serde(default)]
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink")]
    next: Option<String>,
}

/// `applePushNotificationCertificate`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Apns {
    topic_identifier: Option<Value>,
    certificate_serial_number: Option<Value>,
    apple_identifier: Option<Value>,
    expiration_date_time: Option<Value>,
}

/// One `depOnboardingSetting`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Dep {
    token_name: Option<Value>,
    apple_identifier: Option<Value>,
    token_expiration_date_time: Option<Value>,
    last_sync_error_code: Option<Value>,
}

/// One `vppToken`; its `token` field is deliberately absent (serde skips it unread).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vpp {
    organization_name: Option<Value>,
    location_name: Option<Value>,
    apple_id: Option<Value>,
    expiration_date_time: Option<Value>,
    state: Option<Value>,
    last_sync_status: Option<Value>,
}

fn all<T: for<'de> Deserialize<'de>>(s: &mut Session<'_>, path: &str) -> Result<Vec<T>, SyncError> {
    let mut out = Vec::new();
    let mut target = path.to_owned();
    for _ in 0..MAX_PAGES {
        let Some(page) = s.get::<Page<T>>(&target, false)? else {
            return Ok(out);
        };
        out.extend(page.value);
        match page.next {
            Some(next) => target = next,
            None => return Ok(out),
        }
    }
    Err(endless(path))
}

impl Connector for Intune {
    fn vendor(&self) -> Vendor {
        Vendor::Intune
    }

    fn fetch(&self, s: &mut Session<'_>) -> Result<Vec<Held>, SyncError> {
        let tenant = s
            .endpoint
            .tenant
            .clone()
            .ok_or_else(|| SyncError::Settings {
                detail:
                    "Intune needs the tenant (directory) id: add the connection again with --tenant"
                        .to_owned(),
            })?;
        let login = if s.base.eq_ignore_ascii_case(GRAPH) {
            LOGIN.to_owned()
        } else {
            s.base.clone()
        };
        s.set_auth(Auth::ClientCredentials {
            token_url: format!("{login}/{tenant}/oauth2/v2.0/token"),
            extra: vec![("scope", format!("{GRAPH}/.default"))],
            token: None,
        });
        let mut held = Vec::new();
        if let Some(apns) = s.get::<Apns>(APNS, true)? {
            let mut h = Held::new(Kind::PushCertificate);
            h.topic = text(apns.topic_identifier.as_ref());
            h.serial = text(apns.certificate_serial_number.as_ref())
                .and_then(|v| normalize_serial(&v, false));
            h.apple_account = text(apns.apple_identifier.as_ref());
            h.expires_at = date(apns.expiration_date_time.as_ref());
            if h.topic.is_some() || h.expires_at.is_some() {
                held.push(h);
            }
        }
        for dep in all::<Dep>(s, DEP)? {
            let mut h = Held::new(Kind::ServerToken);
            h.server_name = text(dep.token_name.as_ref());
            h.apple_account = text(dep.apple_identifier.as_ref());
            h.expires_at = date(dep.token_expiration_date_time.as_ref());
            h.notice = text(dep.last_sync_error_code.as_ref())
                .filter(|c| c != "0")
                .map(|code| Notice::SyncFailed { code });
            held.push(h);
        }
        for vpp in all::<Vpp>(s, VPP)? {
            let mut h = Held::new(Kind::ContentToken);
            h.org_name = text(vpp.organization_name.as_ref());
            h.location = text(vpp.location_name.as_ref());
            h.apple_account = text(vpp.apple_id.as_ref());
            h.expires_at = date(vpp.expiration_date_time.as_ref());
            h.notice = match text(vpp.state.as_ref()).as_deref() {
                Some("expired") => Some(Notice::Expired),
                Some("invalid") => Some(Notice::Invalid),
                Some("assignedToExternalMDM") => Some(Notice::AssignedElsewhere),
                _ => match text(vpp.last_sync_status.as_ref()).as_deref() {
                    Some("failed") => Some(Notice::SyncFailed {
                        code: "last sync failed".to_owned(),
                    }),
                    _ => None,
                },
            };
            held.push(h);
        }
        Ok(held)
    }
}
