//! Reconciliation: each credential an MDM holds matched to the one on record, and every
//! disagreement turned into a reason with what to do. Pure: the vault feeds it what is stored
//! and `now`.
//!
//! Matching, within one client and one kind: push certificates by topic (Fleet publishes the
//! topic's UUID only; SimpleMDM and JumpCloud no topic at all, so their one certificate is the
//! client's one certificate) and serial; ADE tokens by MDM server name, else by Apple Account
//! and organisation; Apps and Books tokens by organisation and location. What matches nothing
//! on record is tracked from the MDM.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::{Held, Notice, Vendor};
use crate::kind::Kind;
use crate::summary::Portal;

/// Expiries closer than this are the same credential's (vendors round to the day).
const SAME_EXPIRY: Duration = Duration::days(1);

/// Where TokenKeeper knows a credential from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A file imported into TokenKeeper only.
    File,
    /// An MDM only: no file on record.
    Mdm,
    /// A file on record, also held by an MDM.
    Both,
}

impl Source {
    /// Stable identifier.
    pub fn id(self) -> &'static str {
        match self {
            Source::File => "file",
            Source::Mdm => "mdm",
            Source::Both => "both",
        }
    }

    /// Label for people: "File", "MDM", "File and MDM".
    pub fn label(self) -> &'static str {
        match self {
            Source::File => "File",
            Source::Mdm => "MDM",
            Source::Both => "File and MDM",
        }
    }
}

/// What an MDM holds for a credential, as shown beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MdmView {
    /// The connection's name.
    pub connection: String,
    /// Its MDM.
    pub vendor: Vendor,
    /// The expiry the MDM reports, if it publishes one.
    pub expires_at: Option<DateTime<Utc>>,
    /// When the MDM was last read successfully.
    pub synced_at: DateTime<Utc>,
}

/// A credential on record, with the facts reconciliation compares.
#[derive(Debug, Clone, Default)]
pub struct OnRecord {
    /// Its uid.
    pub uid: String,
    /// Its client's name.
    pub client: String,
    /// Which credential.
    pub kind: Option<Kind>,
    /// Its label.
    pub label: String,
    /// Topic, consumer key or organisation.
    pub identity: String,
    /// Push: the serial of the certificate on record.
    pub serial: Option<String>,
    /// ADE: the server name Apple reported at the last check.
    pub server_name: Option<String>,
    /// The organisation Apple reported at the last check.
    pub org_name: Option<String>,
    /// Apps and Books: the location Apple reported at the last check.
    pub location: Option<String>,
    /// The Apple Account on record.
    pub apple_account: Option<String>,
    /// Its expiry.
    pub expires_at: Option<DateTime<Utc>>,
}

/// One credential an MDM connection holds.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The connection's name.
    pub connection: String,
    /// Its MDM.
    pub vendor: Vendor,
    /// The client the connection belongs to.
    pub client: String,
    /// That client's portal.
    pub portal: Portal,
    /// When it was read.
    pub synced_at: DateTime<Utc>,
    /// What the MDM holds.
    pub held: Held,
}

impl Seen {
    /// What is shown beside the credential.
    pub fn view(&self) -> MdmView {
        MdmView {
            connection: self.connection.clone(),
            vendor: self.vendor,
            expires_at: self.held.expires_at,
            synced_at: self.synced_at,
        }
    }
}

/// What reconciliation found for the credentials on record.
#[derive(Debug, Clone, Default)]
pub struct Reconciled {
    /// By credential uid: what an MDM holds (the first connection by name) and, when they
    /// disagree, why and what to do (every disagreement, joined).
    pub records: HashMap<String, (MdmView, Option<String>)>,
    /// By credential uid: disagreements about a credential that no MDM holds as such (a
    /// push certificate for another topic).
    pub unmatched_reasons: HashMap<String, String>,
    /// Indexes into the `seen` given of what matched nothing on record.
    pub mdm_only: Vec<usize>,
}

impl Reconciled {
    /// A credential's source, its MDM view and the disagreement, if any.
    pub fn of(&self, uid: &str) -> (Source, Option<MdmView>, Option<String>) {
        match self.records.get(uid) {
            Some((view, why)) => (Source::Both, Some(view.clone()), why.clone()),
            None => (Source::File, None, self.unmatched_reasons.get(uid).cloned()),
        }
    }
}

/// Matches what the MDMs hold (`seen`, ordered by connection name) to `records`.
/// `renewal_window_days` decides whether an MDM's "expires soon" warning contradicts the
/// record.
pub fn reconcile(
    records: &[OnRecord],
    seen: &[Seen],
    now: DateTime<Utc>,
    renewal_window_days: u32,
) -> Reconciled {
    let mut out = Reconciled::default();
    let mut reasons: HashMap<String, Vec<String>> = HashMap::new();
    for (i, s) in seen.iter().enumerate() {
        let candidates: Vec<&OnRecord> = records
            .iter()
            .filter(|r| r.kind == Some(s.held.kind) && same(&r.client, &s.client))
            .collect();
        let matched: Vec<&OnRecord> = candidates
            .iter()
            .copied()
            .filter(|r| matches(r, &s.held, candidates.len()))
            .collect();
        if matched.is_empty() {
            let other_topic = s.held.kind == Kind::PushCertificate && s.held.topic.is_some();
            if other_topic && !candidates.is_empty() {
                for r in &candidates {
                    let why = other_topic_words(s, &r.identity);
                    out.unmatched_reasons
                        .entry(r.uid.clone())
                        .and_modify(|w| {
                            w.push_str("; ");
                            w.push_str(&why);
                        })
                        .or_insert(why);
                }
            } else {
                out.mdm_only.push(i);
            }
            continue;
        }
        for r in matched {
            let why = disagreement(r, s, now, renewal_window_days);
            if let Some(why) = why {
                reasons.entry(r.uid.clone()).or_default().push(why);
            }
            out.records
                .entry(r.uid.clone())
                .or_insert_with(|| (s.view(), None));
        }
    }
    // A record one MDM holds while another holds a certificate for another topic: both told.
    let moved: Vec<String> = out
        .unmatched_reasons
        .keys()
        .filter(|uid| out.records.contains_key(*uid))
        .cloned()
        .collect();
    for uid in moved {
        if let Some(why) = out.unmatched_reasons.remove(&uid) {
            reasons.entry(uid).or_default().push(why);
        }
    }
    for (uid, why) in reasons {
        if let Some(entry) = out.records.get_mut(&uid) {
            entry.1 = Some(why.join("; "));
        }
    }
    out
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn same_opt(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if same(a, b))
}

/// Whether `held` is the credential `r` (one of `candidates` of its client and kind).
fn matches(r: &OnRecord, held: &Held, candidates: usize) -> bool {
    match held.kind {
        Kind::PushCertificate => match &held.topic {
            Some(topic) => {
                let topic = topic.trim().to_ascii_lowercase();
                let identity = r.identity.trim().to_ascii_lowercase();
                identity == topic || identity.ends_with(&format!(".{topic}"))
            }
            None => match (&held.serial, &r.serial) {
                (Some(a), Some(b)) if a == b => true,
                _ => candidates == 1,
            },
        },
        Kind::ServerToken => {
            if let Some(name) = held.server_name.as_deref() {
                if same_opt(Some(name), r.server_name.as_deref()) || same(name, &r.label) {
                    return true;
                }
            }
            if same_opt(held.apple_account.as_deref(), r.apple_account.as_deref())
                && same_opt(held.org_name.as_deref(), r.org_name.as_deref())
            {
                return true;
            }
            held.server_name.is_none()
                && held.apple_account.is_none()
                && held.org_name.is_none()
                && candidates == 1
        }
        Kind::ContentToken => {
            let org_ok = match held.org_name.as_deref() {
                Some(org) => same(org, &r.identity) || same_opt(Some(org), r.org_name.as_deref()),
                None => true,
            };
            let record_location = r.location.as_deref().unwrap_or(&r.label);
            let location_ok = match held.location.as_deref() {
                Some(loc) => same(loc, record_location) || same(loc, &r.label),
                None => true,
            };
            let anything = held.org_name.is_some() || held.location.is_some();
            org_ok && location_ok && (anything || candidates == 1)
        }
    }
}

fn day(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// The word for a kind in a sentence: "certificate", "token".
fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::PushCertificate => "certificate",
        Kind::ServerToken | Kind::ContentToken => "token",
    }
}

fn portal_short(portal: Portal) -> &'static str {
    match portal {
        Portal::Business => "ABM",
        Portal::School => "ASM",
    }
}

fn other_topic_words(s: &Seen, identity: &str) -> String {
    format!(
        "{} holds a push certificate for another topic ({}) than the one on record ({identity}): upload this client's certificate to {}, or check that the connection \"{}\" belongs to {}",
        s.vendor.name(),
        s.held.topic.as_deref().unwrap_or_default(),
        s.vendor.name(),
        s.connection,
        s.client,
    )
}

/// Why the MDM's copy and the record disagree, with what to do; `None` when they agree.
fn disagreement(
    r: &OnRecord,
    s: &Seen,
    now: DateTime<Utc>,
    renewal_window_days: u32,
) -> Option<String> {
    let v = s.vendor.name();
    let h = &s.held;
    let n = noun(h.kind);
    let record_valid = r.expires_at.is_some_and(|e| e > now);
    if let Some(notice) = &h.notice {
        let said = match notice {
            Notice::TermsNotAccepted => Some(format!(
                "{v} reports the {} terms are not accepted: sign in to {} as an administrator and accept them",
                portal_short(s.portal),
                s.portal.name()
            )),
            Notice::AssignedElsewhere => Some(format!(
                "{v} reports this Apps and Books token is assigned to another MDM: take it back in {v}, or remove it there if the other MDM should keep it"
            )),
            Notice::Invalid => Some(format!(
                "{v} reports the {n} it holds is invalid: upload the {n} on record to {v}"
            )),
            Notice::Expired if record_valid => Some(format!(
                "{v} reports the {n} it holds has expired, but the one on record expires {}: upload it to {v}",
                r.expires_at.map(day).unwrap_or_default()
            )),
            Notice::ExpiresSoon
                if r.expires_at
                    .is_some_and(|e| e > now + Duration::days(i64::from(renewal_window_days)))
                    && h.expires_at.is_none() =>
            {
                Some(format!(
                    "{v} warns the {n} it holds expires soon, but the renewed one on record expires {}: upload it to {v}",
                    r.expires_at.map(day).unwrap_or_default()
                ))
            }
            Notice::SyncFailed { code } => Some(format!(
                "{v} reports its last sync with Apple failed ({code}): open {v} and renew or re-upload the {n}"
            )),
            Notice::Expired | Notice::ExpiresSoon => None,
        };
        if said.is_some() {
            return said;
        }
    }
    let serials_differ = matches!((&h.serial, &r.serial), (Some(a), Some(b)) if a != b);
    match (r.expires_at, h.expires_at) {
        (Some(rec), Some(mdm)) if rec - mdm > SAME_EXPIRY => Some(format!(
            "the renewed {n} on record expires {} but {v} still holds the one expiring {}: upload the renewed {n} to {v}",
            day(rec),
            day(mdm)
        )),
        (Some(rec), Some(mdm)) if mdm - rec > SAME_EXPIRY => Some(format!(
            "{v} holds a newer {n} (expires {}) than the one on record (expires {}): import the renewed file into TokenKeeper",
            day(mdm),
            day(rec)
        )),
        _ if serials_differ => Some(format!(
            "{v} holds another certificate (serial {}) than the one on record (serial {}): upload the certificate on record to {v}, or import the one {v} uses",
            h.serial.as_deref().unwrap_or_default(),
            r.serial.as_deref().unwrap_or_default()
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
