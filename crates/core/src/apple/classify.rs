//! What Apple's answers mean for a credential. Bodies are inconsistent (plain text, quoted text,
//! JSON, and Apps and Books errors with HTTP 200), so each answer is classified by its status
//! plus a case-insensitive substring or error number, and mapped to a reason the user can act
//! on. Pure: no I/O, `now` is an argument.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::summary::Portal;

/// Which of Apple's two services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// The Device Assignment (ADE, formerly DEP) API, for server tokens.
    DeviceAssignment,
    /// The Apps and Books (formerly VPP) API, for content tokens.
    AppsAndBooks,
}

impl Service {
    /// Stable identifier (`device_assignment`, `apps_and_books`).
    pub fn id(self) -> &'static str {
        match self {
            Service::DeviceAssignment => "device_assignment",
            Service::AppsAndBooks => "apps_and_books",
        }
    }

    /// Name for people.
    pub fn name(self) -> &'static str {
        match self {
            Service::DeviceAssignment => "Device Assignment",
            Service::AppsAndBooks => "Apps and Books",
        }
    }

    /// Parses [`Service::id`].
    pub fn parse(id: &str) -> Option<Self> {
        match id {
            "device_assignment" => Some(Service::DeviceAssignment),
            "apps_and_books" => Some(Service::AppsAndBooks),
            _ => None,
        }
    }
}

/// What went wrong, as far as the user is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// `T_C_NOT_SIGNED`: Apple published new terms and no administrator accepted them yet.
    TermsNotAccepted,
    /// `token_rejected` / `signature_invalid` (ADE) or 9625 (Apps and Books): the token was
    /// revoked, or replaced by a newer download.
    Revoked,
    /// `token_expired` (ADE) or 9621 (Apps and Books).
    Expired,
    /// A 401 without a more precise word (ADE), or 9622 (Apps and Books): the credentials are
    /// invalid or expired.
    InvalidCredentials,
    /// `ACCESS_DENIED`, or another 403.
    AccessDenied,
    /// 429, 5xx or 9603: Apple asks to come back later; `retry_after` when it said when.
    Busy {
        /// When Apple said to try again.
        retry_after: Option<DateTime<Utc>>,
    },
    /// No answer: DNS, connection refused, TLS, timeout. `detail` names which.
    Unreachable {
        /// What failed, never with secret values.
        detail: String,
    },
    /// An answer TokenKeeper cannot interpret (another status, a malformed body).
    Unexpected {
        /// What was received.
        detail: String,
    },
}

impl Finding {
    /// Stable identifier, stored with the check and sent to the UI.
    pub fn code(&self) -> &'static str {
        match self {
            Finding::TermsNotAccepted => "terms_not_accepted",
            Finding::Revoked => "revoked",
            Finding::Expired => "expired",
            Finding::InvalidCredentials => "invalid_credentials",
            Finding::AccessDenied => "access_denied",
            Finding::Busy { .. } => "busy",
            Finding::Unreachable { .. } => "unreachable",
            Finding::Unexpected { .. } => "unexpected",
        }
    }

    /// Whether Apple said something about the credential itself (the credential goes to
    /// Error), rather than failing to answer (the credential could not be checked, its state
    /// stays as it was).
    pub fn is_problem(&self) -> bool {
        !matches!(
            self,
            Finding::Busy { .. } | Finding::Unreachable { .. } | Finding::Unexpected { .. }
        )
    }

    /// When Apple asked to be left alone until.
    pub fn retry_after(&self) -> Option<DateTime<Utc>> {
        match self {
            Finding::Busy { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// The reason shown to the user: what happened and what to do, in the client's portal.
    pub fn reason(&self, service: Service, portal: Portal) -> String {
        let site = portal.url().trim_start_matches("https://");
        let (what, download) = match service {
            Service::DeviceAssignment => (
                "token",
                format!(
                    "download a new token at {site} (Preferences > your MDM server > Download Token), import it here and upload it to the MDM"
                ),
            ),
            Service::AppsAndBooks => (
                "content token",
                format!(
                    "download it again at {site} (Preferences > Payments and Billing > Content Tokens), import it here and replace the one in the MDM"
                ),
            ),
        };
        match (self, service) {
            (Finding::TermsNotAccepted, _) => format!(
                "Apple refuses this {what} until new terms are accepted: an Administrator must accept the new terms at {site}"
            ),
            (Finding::Revoked, Service::DeviceAssignment) => format!(
                "Apple rejected this token: it was revoked or replaced by a newer download; if someone downloaded a newer token, import that file, otherwise {download}"
            ),
            (Finding::Revoked, Service::AppsAndBooks) => {
                format!("Apple says this content token was revoked: {download}")
            }
            (Finding::Expired, _) => format!("Apple says this {what} has expired: {download}"),
            (Finding::InvalidCredentials, Service::DeviceAssignment) => format!(
                "Apple refused this token's credentials (expired or no longer valid): {download}"
            ),
            (Finding::InvalidCredentials, Service::AppsAndBooks) => format!(
                "Apple says this content token is invalid: it was regenerated, or the Managed Apple Account that downloaded it changed its password or was deleted; {download}"
            ),
            (Finding::AccessDenied, _) => format!(
                "Apple denied access with this {what}: check at {site} that the MDM server or location still exists and that the account that downloaded it still has the right role"
            ),
            (Finding::Busy { retry_after }, _) => match retry_after {
                Some(at) => format!(
                    "could not check: Apple's {} service is busy and asked to wait until {}",
                    service.name(),
                    at.format("%Y-%m-%d %H:%M UTC")
                ),
                None => format!(
                    "could not check: Apple's {} service is busy; try again later",
                    service.name()
                ),
            },
            (Finding::Unreachable { detail }, _) => format!(
                "could not check: Apple's {} service could not be reached ({detail})",
                service.name()
            ),
            (Finding::Unexpected { detail }, _) => format!(
                "could not check: Apple's {} service answered unexpectedly ({detail})",
                service.name()
            ),
        }
    }
}

/// How long to wait when Apple says it is busy without saying for how long.
const DEFAULT_BACKOFF: Duration = Duration::minutes(5);
/// The longest wait honoured: a larger `Retry-After` is most likely an error.
const MAX_BACKOFF: Duration = Duration::days(1);

/// Reads a `Retry-After` header: delay-seconds or an HTTP date. Capped at one day.
pub fn retry_after(value: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let value = value.trim();
    let at = if let Ok(seconds) = value.parse::<u32>() {
        now + Duration::seconds(i64::from(seconds))
    } else {
        DateTime::parse_from_rfc2822(value)
            .ok()?
            .with_timezone(&Utc)
    };
    Some(at.clamp(now, now + MAX_BACKOFF))
}

fn busy(retry: Option<&str>, now: DateTime<Utc>) -> Finding {
    Finding::Busy {
        retry_after: Some(
            retry
                .and_then(|r| retry_after(r, now))
                .unwrap_or(now + DEFAULT_BACKOFF),
        ),
    }
}

/// A short, printable excerpt of a body for messages: at most 160 characters, one line.
pub fn excerpt(body: &str) -> String {
    let flat: String = body
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(160)
        .collect();
    flat.trim().to_owned()
}

/// Classifies a Device Assignment answer; `None` for success (2xx).
pub fn device_assignment(
    status: u16,
    body: &str,
    retry: Option<&str>,
    now: DateTime<Utc>,
) -> Option<Finding> {
    if (200..300).contains(&status) {
        return None;
    }
    let lower = body.to_ascii_lowercase();
    let has = |word: &str| lower.contains(word);
    Some(if has("t_c_not_signed") {
        Finding::TermsNotAccepted
    } else if has("token_expired") {
        Finding::Expired
    } else if has("token_rejected") || has("signature_invalid") {
        Finding::Revoked
    } else if has("access_denied") {
        Finding::AccessDenied
    } else if status == 429 || status >= 500 {
        busy(retry, now)
    } else if status == 401 {
        Finding::InvalidCredentials
    } else if status == 403 {
        Finding::AccessDenied
    } else if has("timestamp_refused") {
        Finding::Unexpected {
            detail: "Apple refused the request's time: check this computer's clock".to_owned(),
        }
    } else {
        Finding::Unexpected {
            detail: format!("HTTP {status}: {}", excerpt(body)),
        }
    })
}

/// An Apps and Books error object.
#[derive(Debug, Deserialize)]
struct AppsAndBooksError {
    #[serde(rename = "errorNumber")]
    number: Option<i64>,
    #[serde(rename = "errorMessage")]
    message: Option<String>,
}

/// Classifies an Apps and Books answer; `None` for success. The body is read whatever the
/// status: Apple sends `{"errorNumber": ...}` with HTTP 200 too.
pub fn apps_and_books(
    status: u16,
    body: &str,
    retry: Option<&str>,
    now: DateTime<Utc>,
) -> Option<Finding> {
    let error = serde_json::from_str::<AppsAndBooksError>(body)
        .ok()
        .filter(|e| e.number.is_some());
    if let Some(e) = error {
        let number = e.number.unwrap_or_default();
        return Some(match number {
            9621 => Finding::Expired,
            9622 => Finding::InvalidCredentials,
            9625 => Finding::Revoked,
            9603 => busy(retry, now),
            _ => Finding::Unexpected {
                detail: format!(
                    "error {number}: {}",
                    excerpt(e.message.as_deref().unwrap_or_default())
                ),
            },
        });
    }
    if (200..300).contains(&status) {
        return None;
    }
    Some(match status {
        429 | 500.. => busy(retry, now),
        401 => Finding::InvalidCredentials,
        403 => Finding::AccessDenied,
        _ => Finding::Unexpected {
            detail: format!("HTTP {status}: {}", excerpt(body)),
        },
    })
}

#[cfg(test)]
mod tests;
