//! Which credentials can be checked with Apple, read from the database, and what a check of
//! each one reports before and after Apple answers.

use crate::args;
use chrono::{DateTime, Utc};

use super::super::{Vault, parse_ts};
use super::{CheckDetails, CheckResult, Outcome};
use crate::apple::{Failure, Service};
use crate::error::Result;
use crate::summary::Portal;
use crate::token::Kind;

/// A credential that can be checked.
pub(in crate::vault) struct Target {
    pub(in crate::vault) uid: String,
    pub(super) client: String,
    pub(super) portal: Portal,
    pub(super) label: String,
    pub(super) kind: Kind,
    pub(super) expires_at: Option<DateTime<Utc>>,
    pub(super) has_secret: bool,
}

impl Target {
    pub(super) fn service(&self) -> Service {
        match self.kind {
            Kind::ContentToken => Service::AppsAndBooks,
            _ => Service::DeviceAssignment,
        }
    }

    pub(super) fn result(&self, now: DateTime<Utc>, outcome: Outcome) -> CheckResult {
        CheckResult {
            uid: self.uid.clone(),
            client: self.client.clone(),
            label: self.label.clone(),
            kind: self.kind,
            service: self.service(),
            checked_at: now,
            outcome,
            reason: None,
            retry_after: None,
            details: CheckDetails::default(),
        }
    }

    pub(super) fn failed(&self, now: DateTime<Utc>, failure: Failure) -> CheckResult {
        let outcome = if failure.finding.is_problem() {
            Outcome::Problem
        } else {
            Outcome::CouldNotCheck
        };
        let mut r = self.result(now, outcome);
        r.reason = Some(failure.finding.reason(self.service(), self.portal));
        r.retry_after = failure.finding.retry_after();
        r.details.finding = Some(failure.finding.code().to_owned());
        r.details.http_status = failure.http_status;
        r.details.apple_message = failure.apple_message;
        r
    }
}

const TARGETS: &str = "SELECT cr.uid, c.name, c.portal, cr.label, cr.kind, cr.expires_at,
        cr.secret_ref IS NOT NULL
     FROM credentials cr JOIN clients c ON c.id = cr.client_id
     WHERE cr.kind IN ('server_token', 'content_token')";

impl Vault {
    pub(in crate::vault) fn targets(&self, filter: &str, value: &str) -> Result<Vec<Target>> {
        let sql = format!("{TARGETS}{filter} ORDER BY c.name COLLATE NOCASE, cr.kind, cr.label");
        let mut stmt = self.db.sql().prepare(&sql)?;
        let map = |r: &crate::db::Row<'_>| {
            Ok(Target {
                uid: r.get(0)?,
                client: r.get(1)?,
                portal: Portal::parse(r.get_ref(2)?.as_str()?).unwrap_or_default(),
                label: r.get(3)?,
                kind: match r.get_ref(4)?.as_str()? {
                    "content_token" => Kind::ContentToken,
                    _ => Kind::ServerToken,
                },
                expires_at: r.get_ref(5)?.as_str_or_null()?.and_then(parse_ts),
                has_secret: r.get(6)?,
            })
        };
        let rows = if filter.is_empty() {
            stmt.query_map(args![], map)?
                .collect::<crate::db::SqlResult<Vec<_>>>()?
        } else {
            stmt.query_map(args![value], map)?
                .collect::<crate::db::SqlResult<Vec<_>>>()?
        };
        Ok(rows)
    }
}
