//! The MDMs' view in every listing: each credential's source and what an MDM holds for it,
//! each disagreement as the credential's Error with what to do, and what only an MDM holds as
//! credentials tracked from the MDM.

use crate::args;
use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::mdm::{Held, Notice, OnRecord, Seen, Source, reconcile};
use crate::status::{Thresholds, status};
use crate::summary::{CredentialSummary, Portal};
use crate::token::{Kind, sha256_hex};
use crate::vault::{Vault, parse_ts};

impl Vault {
    /// What the MDM connections held at their last successful sync, by connection name.
    fn seen(&self) -> Result<Vec<(String, Seen)>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT m.uid, m.name, m.vendor, c.name, c.portal, m.synced_at, i.facts
             FROM mdm_items i JOIN mdm_connections m ON m.id = i.connection_id
             JOIN clients c ON c.id = m.client_id
             ORDER BY m.name COLLATE NOCASE, i.id",
        )?;
        let rows = stmt.query_map(args![], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
                r.get::<Option<String>>(5)?,
                r.get::<String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (uid, name, vendor, client, portal, synced_at, facts) = row?;
            let (Ok(vendor), Ok(held)) = (
                crate::mdm::Vendor::parse(&vendor),
                serde_json::from_str::<Held>(&facts),
            ) else {
                continue;
            };
            out.push((
                uid,
                Seen {
                    connection: name,
                    vendor,
                    client,
                    portal: Portal::parse(&portal).unwrap_or_default(),
                    synced_at: synced_at.as_deref().and_then(parse_ts).unwrap_or_default(),
                    held,
                },
            ));
        }
        Ok(out)
    }

    /// The facts reconciliation compares for the credentials of clients with a connection:
    /// the push serial on record and what Apple's last good check said (server, organisation,
    /// location).
    fn on_record(
        &self,
        rows: &[(CredentialSummary, Option<crate::status::State>)],
    ) -> Result<Vec<OnRecord>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT cr.uid,
                (SELECT json_extract(v.details, '$.push_certificate.serial') FROM versions v
                 WHERE v.credential_id = cr.id AND v.revision = cr.revision),
                (SELECT k.details FROM checks k WHERE k.credential_uid = cr.uid AND k.outcome = 'ok'
                 ORDER BY k.id DESC LIMIT 1)
             FROM credentials cr
             WHERE cr.client_id IN (SELECT client_id FROM mdm_connections)",
        )?;
        let facts = stmt.query_map(args![], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<Option<String>>(1)?,
                r.get::<Option<String>>(2)?,
            ))
        })?;
        let mut by_uid = std::collections::HashMap::new();
        for f in facts {
            let (uid, serial, details) = f?;
            by_uid.insert(uid, (serial, details));
        }
        Ok(rows
            .iter()
            .filter_map(|(s, _)| {
                let (serial, details) = by_uid.get(&s.uid)?;
                let details: serde_json::Value = details
                    .as_deref()
                    .and_then(|d| serde_json::from_str(d).ok())
                    .unwrap_or_default();
                let text = |k: &str| details.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                Some(OnRecord {
                    uid: s.uid.clone(),
                    client: s.client.clone(),
                    kind: Some(s.kind),
                    label: s.label.clone(),
                    identity: s.identity.clone(),
                    serial: serial.clone(),
                    server_name: text("server_name"),
                    org_name: text("org_name"),
                    location: text("location_name"),
                    apple_account: s.apple_account.clone(),
                    expires_at: s.expires_at,
                })
            })
            .collect())
    }

    /// Whether any MDM connection has reported something: then a listing must be reconciled.
    pub(in crate::vault) fn mdm_holds_anything(&self) -> Result<bool> {
        Ok(self
            .db
            .sql()
            .query_row("SELECT EXISTS (SELECT 1 FROM mdm_items)", args![], |r| {
                r.get(0)
            })?)
    }

    /// The names of the clients with an MDM connection: the only ones whose rows
    /// [`Vault::apply_mdm`] can change (what it compares are their credentials).
    pub(in crate::vault) fn clients_with_mdm(&self) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT name FROM clients WHERE id IN (SELECT client_id FROM mdm_connections)",
        )?;
        Ok(stmt
            .query_map(args![], |r| r.get::<String>(0))?
            .collect::<crate::db::SqlResult<_>>()?)
    }

    /// Adds the MDMs' view to `rows`: sources, disagreements (an Error with its reason) and the
    /// credentials only an MDM holds. Only rows of [`Vault::clients_with_mdm`] need come.
    pub(in crate::vault) fn apply_mdm(
        &self,
        rows: &mut Vec<(CredentialSummary, Option<crate::status::State>)>,
        now: DateTime<Utc>,
        thresholds: Thresholds,
    ) -> Result<()> {
        let seen = self.seen()?;
        if seen.is_empty() {
            return Ok(());
        }
        let records = self.on_record(rows)?;
        let only: Vec<Seen> = seen.iter().map(|(_, s)| s.clone()).collect();
        let found = reconcile(&records, &only, now, thresholds.renewal_window_days);
        for (s, _) in rows.iter_mut() {
            let (source, view, why) = found.of(&s.uid);
            s.source = source;
            s.mdm = view.map(Box::new);
            if let Some(why) = why {
                let reason = match s.status.reason.take() {
                    Some(own) => format!("{own}; {why}"),
                    None => why,
                };
                s.status = status(s.expires_at, Some(&reason), now, s.thresholds(thresholds));
            }
        }
        // A client's own warning threshold applies to what only its MDM holds too.
        let own: std::collections::HashMap<String, u32> = {
            let mut stmt = self
                .db
                .sql()
                .prepare("SELECT name, warn_days FROM clients WHERE warn_days IS NOT NULL")?;
            stmt.query_map(args![], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<crate::db::SqlResult<_>>()?
        };
        for i in found.mdm_only {
            let (connection_uid, s) = &seen[i];
            let thresholds = Thresholds {
                renewal_window_days: own
                    .get(&s.client)
                    .copied()
                    .unwrap_or(thresholds.renewal_window_days),
                ..thresholds
            };
            rows.push((mdm_only(connection_uid, s, now, thresholds), None));
        }
        Ok(())
    }
}

/// A credential only an MDM holds, as a summary: its uid derived from the connection and what
/// identifies it, so it stays the same from one sync to the next.
fn mdm_only(
    connection_uid: &str,
    s: &Seen,
    now: DateTime<Utc>,
    thresholds: Thresholds,
) -> CredentialSummary {
    let h = &s.held;
    let v = s.vendor.name();
    let (label, identity) = match h.kind {
        Kind::PushCertificate => (
            format!("{v} push certificate"),
            h.topic.clone().unwrap_or_default(),
        ),
        Kind::ServerToken => (
            h.server_name
                .clone()
                .unwrap_or_else(|| format!("{v} ADE token")),
            h.server_name
                .clone()
                .or(h.org_name.clone())
                .unwrap_or_default(),
        ),
        Kind::ContentToken => (
            h.location
                .clone()
                .or(h.org_name.clone())
                .unwrap_or_else(|| format!("{v} Apps and Books token")),
            h.org_name.clone().unwrap_or_default(),
        ),
    };
    let key = format!(
        "{connection_uid}\n{}\n{label}\n{identity}\n{}",
        h.kind.id(),
        h.apple_account.as_deref().unwrap_or_default()
    );
    let reason = match &h.notice {
        Some(Notice::TermsNotAccepted) => Some(format!(
            "{v} reports the {} terms are not accepted: sign in to {} and accept them",
            match s.portal {
                Portal::Business => "ABM",
                Portal::School => "ASM",
            },
            s.portal.name()
        )),
        Some(Notice::AssignedElsewhere) => {
            Some(format!("{v} reports this token is assigned to another MDM"))
        }
        Some(Notice::Invalid) => Some(format!("{v} reports it is invalid")),
        Some(Notice::SyncFailed { code }) => Some(format!(
            "{v} reports its last sync with Apple failed ({code})"
        )),
        Some(Notice::Expired) if h.expires_at.is_none() => Some(format!(
            "{v} reports it has expired: renew it and upload it to {v}"
        )),
        _ if h.expires_at.is_none() => Some(format!(
            "{v} does not publish its expiry: import the file to track it"
        )),
        _ => None,
    };
    let reason = reason.map(|r| format!("tracked from {}: {r}", s.connection));
    CredentialSummary {
        uid: format!("mdm-{}", &sha256_hex(key.as_bytes())[..24]),
        client: s.client.clone(),
        portal: s.portal,
        kind: h.kind,
        label,
        identity,
        apple_account: h.apple_account.clone(),
        expires_at: h.expires_at,
        revision: 0,
        status: status(h.expires_at, reason.as_deref(), now, thresholds),
        renewal_window_days: thresholds.renewal_window_days,
        source: Source::Mdm,
        mdm: Some(Box::new(s.view())),
    }
}
