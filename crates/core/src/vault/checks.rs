//! Health checks at Apple, kept: which credentials can be checked, running the checks,
//! recording each result (the `checks` table, the audit log, the credential's Error reason) and
//! reading the latest ones back. Which credentials can be checked is in `target.rs`, the audit
//! log's words in `messages.rs`, settings and the schedule in `schedule.rs`.
//!
//! A problem Apple reports (terms not accepted, revoked, expired, invalid, access denied) puts
//! the credential in Error at once; a later successful check, or a renewal, clears it. Apple
//! being unreachable or busy is not an Error: the credential "could not be checked", and a busy
//! service is left alone until the time its `Retry-After` named.

use std::collections::HashMap;

use crate::args;
use crate::db::OptionalRow;
use chrono::{DateTime, Duration, Utc};

mod messages;
mod result;
mod target;

pub use messages::mdm_claim;
pub use result::{CheckDetails, CheckResult, Outcome};

use messages::success_message;
use target::Target;

use super::{Vault, events, parse_ts, ts};
use crate::apple::{AppleEndpoints, Failure, Finding, Service, apps_and_books, device_assignment};
use crate::error::{Error, Result};
use crate::token::Kind;
use crate::vault::EventKind;

/// Apple's expiry and the file's may differ by this much before it is worth a warning.
const EXPIRY_TOLERANCE: Duration = Duration::minutes(1);

impl Vault {
    /// Checks every ADE server token and Apps and Books token with Apple.
    ///
    /// # Errors
    /// [`Error::KeychainUnavailable`], [`Error::Database`]; what Apple says is in the results.
    pub fn check_all(
        &mut self,
        now: DateTime<Utc>,
        endpoints: &AppleEndpoints,
    ) -> Result<Vec<CheckResult>> {
        let targets = self.targets("", "")?;
        self.run_checks(targets, now, endpoints)
    }

    /// Checks one client's tokens with Apple.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown client; as [`Vault::check_all`].
    pub fn check_client(
        &mut self,
        client: &str,
        now: DateTime<Utc>,
        endpoints: &AppleEndpoints,
    ) -> Result<Vec<CheckResult>> {
        let client = self.client(client)?;
        let targets = self.targets(" AND c.uid = ?1", &client.uid)?;
        self.run_checks(targets, now, endpoints)
    }

    /// Checks one credential with Apple.
    ///
    /// # Errors
    /// [`Error::NotFound`]; [`Error::InvalidInput`] for a push certificate (Apple has no
    /// read-only check for it); as [`Vault::check_all`].
    pub fn check(
        &mut self,
        uid: &str,
        now: DateTime<Utc>,
        endpoints: &AppleEndpoints,
    ) -> Result<CheckResult> {
        let targets = self.targets(" AND cr.uid = ?1", uid)?;
        if targets.is_empty() {
            let exists: Option<String> = self
                .db
                .sql()
                .query_row(
                    "SELECT kind FROM credentials WHERE uid = ?1",
                    args![uid],
                    |r| r.get(0),
                )
                .optional()?;
            return Err(match exists {
                Some(_) => Error::InvalidInput {
                    message: "APNs push certificates have no read-only check at Apple: only ADE server tokens and Apps and Books tokens are checked".to_owned(),
                },
                None => Error::NotFound {
                    what: "credential".to_owned(),
                    hint: String::new(),
                },
            });
        }
        self.run_checks(targets, now, endpoints)?
            .pop()
            .ok_or_else(|| Error::NotFound {
                what: "credential".to_owned(),
                hint: String::new(),
            })
    }

    /// The latest check of every credential checked at least once, by client and label.
    ///
    /// # Errors
    /// [`Error::Database`].
    pub fn last_checks(&self) -> Result<Vec<CheckResult>> {
        let mut stmt = self.db.sql().prepare(
            "SELECT k.credential_uid, c.name, cr.label, cr.kind, k.service, k.checked_at, k.outcome,
                    k.reason, k.retry_after, k.details
             FROM checks k
             JOIN credentials cr ON cr.uid = k.credential_uid
             JOIN clients c ON c.id = cr.client_id
             WHERE k.id = (SELECT MAX(id) FROM checks WHERE credential_uid = k.credential_uid)
             ORDER BY c.name COLLATE NOCASE, cr.label COLLATE NOCASE",
        )?;
        let rows = stmt.query_map(args![], |r| {
            Ok(CheckResult {
                uid: r.get(0)?,
                client: r.get(1)?,
                label: r.get(2)?,
                kind: match r.get_ref(3)?.as_str()? {
                    "content_token" => Kind::ContentToken,
                    _ => Kind::ServerToken,
                },
                service: Service::parse(r.get_ref(4)?.as_str()?)
                    .unwrap_or(Service::DeviceAssignment),
                checked_at: parse_ts(r.get_ref(5)?.as_str()?).unwrap_or_default(),
                outcome: Outcome::parse(r.get_ref(6)?.as_str()?),
                reason: r.get(7)?,
                retry_after: r.get_ref(8)?.as_str_or_null()?.and_then(parse_ts),
                details: serde_json::from_str(r.get_ref(9)?.as_str()?).unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<crate::db::SqlResult<Vec<_>>>()?)
    }

    /// Checks `targets` one after another. A busy service is not called again in the same run
    /// (nor before its `Retry-After`); an unreachable one is not tried again in the same run.
    pub(super) fn run_checks(
        &mut self,
        targets: Vec<Target>,
        now: DateTime<Utc>,
        endpoints: &AppleEndpoints,
    ) -> Result<Vec<CheckResult>> {
        let mut blocked: HashMap<Service, Failure> = HashMap::new();
        for service in [Service::DeviceAssignment, Service::AppsAndBooks] {
            if let Some(until) = self.busy_until(service, now)? {
                blocked.insert(
                    service,
                    Failure::from(Finding::Busy {
                        retry_after: Some(until),
                    }),
                );
            }
        }
        let mut results = Vec::with_capacity(targets.len());
        for t in &targets {
            if !t.has_secret {
                let mut r = t.result(now, Outcome::Skipped);
                r.reason = Some("not checked: this ADE token was imported without its private key, so TokenKeeper does not hold its OAuth values; import it with --key to check it".to_owned());
                results.push(r);
                continue;
            }
            let result = match blocked.get(&t.service()) {
                Some(failure) => {
                    let mut r = t.failed(now, failure.clone());
                    if matches!(failure.finding, Finding::Unreachable { .. }) {
                        r.reason = r
                            .reason
                            .map(|reason| format!("{reason}; not tried again in this run"));
                    }
                    r
                }
                None => {
                    let (r, failure) = self.check_one(t, now, endpoints)?;
                    if let Some(f) = failure.filter(|f| {
                        matches!(
                            f.finding,
                            Finding::Busy { .. } | Finding::Unreachable { .. }
                        )
                    }) {
                        blocked.insert(t.service(), f);
                    }
                    r
                }
            };
            self.record(t, &result, now)?;
            results.push(result);
        }
        if !results.is_empty() {
            self.report_and_record(now)?;
        }
        Ok(results)
    }

    /// One call to Apple for one credential (no recording).
    fn check_one(
        &mut self,
        t: &Target,
        now: DateTime<Utc>,
        endpoints: &AppleEndpoints,
    ) -> Result<(CheckResult, Option<Failure>)> {
        let secret = match self.read_secret(&t.uid, now) {
            Ok(secret) => secret,
            Err(Error::Tampered { message }) => {
                let mut r = t.result(now, Outcome::Problem);
                r.reason = Some(message);
                r.details.finding = Some("tampered".to_owned());
                return Ok((r, None));
            }
            Err(e) => return Err(e),
        };
        Ok(match t.service() {
            Service::DeviceAssignment => {
                let keys = device_assignment::keys_from_stored(&secret)?;
                drop(secret);
                match device_assignment::check(
                    &endpoints.device_assignment,
                    &keys,
                    now,
                    endpoints.timeout,
                ) {
                    Ok(account) => {
                        let mut r = t.result(now, Outcome::Ok);
                        r.details.admin_id = account.generated_by().map(str::to_owned);
                        r.details.server_name = account.server_name;
                        r.details.server_uuid = account.server_uuid;
                        r.details.org_name = account.org_name;
                        r.details.org_type = account.org_type;
                        (r, None)
                    }
                    Err(failure) => (t.failed(now, failure.clone()), Some(failure)),
                }
            }
            Service::AppsAndBooks => {
                let bearer = String::from_utf8_lossy(&secret).trim().to_owned();
                let bearer = zeroize::Zeroizing::new(bearer);
                drop(secret);
                match apps_and_books::check(
                    &endpoints.apps_and_books,
                    &bearer,
                    now,
                    endpoints.timeout,
                ) {
                    Ok(config) => {
                        let mut r = t.result(now, Outcome::Ok);
                        r.details.location_name = config.location_name;
                        r.details.uid = config.uid;
                        r.details.apple_expires_at = config.expires_at;
                        r.details.country = config.country;
                        r.details.mdm_info = config.mdm_info;
                        r.details.warnings = self.content_warnings(t, &r.details)?;
                        (r, None)
                    }
                    Err(failure) => (t.failed(now, failure.clone()), Some(failure)),
                }
            }
        })
    }

    /// Warnings about an Apps and Books token Apple accepted: another credential checked for
    /// the same location, an expiry that disagrees with the file on record.
    fn content_warnings(&self, t: &Target, d: &CheckDetails) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        if let (Some(apple), Some(file)) = (d.apple_expires_at, t.expires_at) {
            if (apple - file).abs() > EXPIRY_TOLERANCE {
                warnings.push(format!(
                    "Apple's expiry for this token ({}) differs from the file on record ({}): the token in use is probably another download; import the newest .vpptoken for this location",
                    ts(apple),
                    ts(file)
                ));
            }
        }
        if let Some(uid) = d.uid.as_deref() {
            for other in self.last_checks()? {
                if other.uid != t.uid
                    && other.kind == Kind::ContentToken
                    && other.outcome == Outcome::Ok
                    && other.details.uid.as_deref() == Some(uid)
                {
                    warnings.push(format!(
                        "{} \"{}\" is a token for the same location (uId {uid}): keep one token per location, or the MDM duplicates every app; remove the one that is not in use",
                        other.client, other.label
                    ));
                }
            }
        }
        Ok(warnings)
    }

    /// Stores a result: the `checks` row, the credential's Error reason (set by a problem,
    /// cleared by a success when a check had set it), the Apple Account on record when there
    /// was none, and the audit log.
    fn record(&mut self, t: &Target, r: &CheckResult, now: DateTime<Utc>) -> Result<()> {
        let details = serde_json::to_string(&r.details).map_err(|e| Error::Database {
            detail: e.to_string(),
        })?;
        let tampered = r.details.finding.as_deref() == Some("tampered");
        self.db.write(|tx| {
            tx.execute(
                "INSERT INTO checks (credential_uid, service, checked_at, outcome, reason, retry_after, details)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                args![
                    t.uid,
                    t.service().id(),
                    ts(now),
                    r.outcome.id(),
                    r.reason,
                    r.retry_after.map(ts),
                    details
                ],
            )?;
            let message = match r.outcome {
                Outcome::Ok => {
                    tx.execute(
                        "UPDATE credentials SET error = NULL WHERE uid = ?1 AND error IN
                            (SELECT reason FROM checks WHERE credential_uid = ?1 AND outcome = 'problem')",
                        args![&t.uid],
                    )?;
                    if let Some(account) = r.details.admin_id.as_deref() {
                        tx.execute(
                            "UPDATE credentials SET apple_account = ?1
                             WHERE uid = ?2 AND (apple_account IS NULL OR trim(apple_account) = '')",
                            args![account, t.uid],
                        )?;
                    }
                    success_message(r)
                }
                Outcome::Problem if !tampered => {
                    tx.execute(
                        "UPDATE credentials SET error = ?1 WHERE uid = ?2",
                        args![r.reason, t.uid],
                    )?;
                    r.reason.clone().unwrap_or_default()
                }
                _ => r.reason.clone().unwrap_or_default(),
            };
            let kind = if r.outcome == Outcome::Ok {
                EventKind::Checked
            } else {
                EventKind::CheckFailed
            };
            events::append_for(tx, now, kind, &t.client, &t.uid, &t.label, &message)
        })
    }
}
