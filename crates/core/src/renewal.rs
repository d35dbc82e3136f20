//! The renewal rules: given a credential file just read and what is on record, decide whether it
//! is a new credential, a renewal of one (and which), or the same file again; and which warnings
//! the user must confirm or which refusals stop it. Decided by identity, never by file name.
//! Pure: no database, no keychain, no clock.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{Error, Recipient, Result};
use crate::token::Kind;
pub use crate::warning::WarningKind;

mod kinds;
#[cfg(test)]
mod tests;

use kinds::{content_token, push_certificate, server_token};

/// Identity of a server token that could not be decrypted: its recipient certificate.
pub fn recipient_identity(r: &Recipient) -> String {
    format!("encrypted for {r}")
}

/// A stored credential of the same kind, as the rules see it.
#[derive(Debug, Clone)]
pub struct OnRecord {
    /// Stable id.
    pub uid: String,
    /// Owner's name.
    pub client: String,
    /// The user's label.
    pub label: String,
    /// Topic, consumer key (or recipient), or organisation.
    pub identity: String,
    /// For server tokens: the certificate they are encrypted to.
    pub recipient: Option<Recipient>,
    /// Current expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// SHA-256 of the current file.
    pub file_sha256: String,
    /// SHA-256 of the current credential's content ([`crate::token::Credential::content_sha256`]);
    /// `None` for a record made before content was fingerprinted: compared by file only.
    pub content_sha256: Option<String>,
    /// The Apple Account on record.
    pub apple_account: Option<String>,
}

/// The file being imported, as the rules see it.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Which credential.
    pub kind: Kind,
    /// Topic, consumer key (or recipient when not decrypted), or organisation.
    pub identity: String,
    /// Whether `identity` is a consumer key (server token decrypted).
    pub decrypted: bool,
    /// For server tokens: the certificate it is encrypted to.
    pub recipient: Option<Recipient>,
    /// Its expiry, if known.
    pub expires_at: Option<DateTime<Utc>>,
    /// SHA-256 of the file.
    pub file_sha256: String,
    /// SHA-256 of its content, whatever the encoding.
    pub content_sha256: String,
    /// The label the user asked for, if any.
    pub label: Option<String>,
}

/// What the import will do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Decision {
    /// Add a new credential with this label.
    New {
        /// Its label (serialized once, as the plan's own `label`).
        #[serde(skip)]
        label: String,
    },
    /// Renew the credential `uid`; the previous version stays in its history.
    Renew {
        /// The credential renewed.
        uid: String,
    },
    /// The very same file is already the current version of `uid`: nothing to do.
    AlreadyOnRecord {
        /// The credential holding it.
        uid: String,
    },
}

/// Something the user must confirm before the import is saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Warning {
    /// What kind of risk.
    pub kind: WarningKind,
    /// What it means and what to do, in plain words.
    pub message: String,
}

/// The rules' answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// What the import does.
    pub decision: Decision,
    /// What the user must confirm first.
    pub warnings: Vec<Warning>,
}

/// Applies the rules.
///
/// `client` is the client the file is imported for; `records` are every stored credential of
/// the same kind, of every client (duplicates across clients are caught too).
///
/// # Errors
/// [`Error::Duplicate`] when the file or its identity belongs to another credential;
/// [`Error::OlderFile`] when it expires before the version on record; [`Error::Ambiguous`]
/// when several credentials could be the one renewed and no label says which.
pub fn decide(client: &str, incoming: &Incoming, records: &[OnRecord]) -> Result<Verdict> {
    let mine: Vec<&OnRecord> = records
        .iter()
        .filter(|r| r.client.eq_ignore_ascii_case(client))
        .collect();
    // The same bytes, or the same credential in another encoding, anywhere: nothing to do
    // here, or a duplicate elsewhere.
    if let Some(same) = records.iter().find(|r| {
        r.file_sha256 == incoming.file_sha256
            || r.content_sha256.as_deref() == Some(incoming.content_sha256.as_str())
    }) {
        if same.client.eq_ignore_ascii_case(client)
            && incoming
                .label
                .as_deref()
                .is_none_or(|l| l.eq_ignore_ascii_case(&same.label))
        {
            return Ok(verdict(Decision::AlreadyOnRecord {
                uid: same.uid.clone(),
            }));
        }
        return Err(Error::Duplicate {
            message: format!(
                "{} is already on record as {} of {} (\"{}\"): renew the existing {} instead of adding it again",
                if same.file_sha256 == incoming.file_sha256 {
                    "this exact file".to_owned()
                } else {
                    format!(
                        "this {} (in another encoding)",
                        incoming.kind.display_name()
                    )
                },
                incoming.kind.article_name(),
                same.client,
                same.label,
                incoming.kind.display_name()
            ),
        });
    }
    let by_label = incoming.label.as_deref().and_then(|l| {
        mine.iter()
            .copied()
            .find(|r| r.label.eq_ignore_ascii_case(l))
    });
    let verdict = match incoming.kind {
        Kind::PushCertificate => push_certificate(client, incoming, records, &mine, by_label)?,
        Kind::ServerToken => server_token(client, incoming, records, &mine, by_label)?,
        Kind::ContentToken => content_token(client, incoming, records, &mine, by_label)?,
    };
    if let Decision::Renew { uid } = &verdict.decision {
        let target = records.iter().find(|r| &r.uid == uid);
        if let (Some(target), Some(new)) = (target, incoming.expires_at) {
            if target.expires_at.is_some_and(|old| new < old) {
                return Err(Error::OlderFile {
                    message: format!(
                        "this {} expires {}, before the one on record for \"{}\" ({}): it is an older download; use the newest file",
                        incoming.kind.display_name(),
                        new.format("%-d %b %Y"),
                        target.label,
                        target
                            .expires_at
                            .map(|d| d.format("%-d %b %Y").to_string())
                            .unwrap_or_default()
                    ),
                });
            }
        }
    }
    Ok(verdict)
}

/// Which credential a file of `kind` for `client` (`mine`: that client's credentials of the
/// kind) will renew, as far as it can be told before the file is read: the one with `label`, or
/// a client's only push certificate (one APNs certificate per MDM). The wizard shows its Apple
/// Account and identity while the user fetches the file; [`decide`] has the last word.
pub fn expected_target<'a, T>(
    kind: Kind,
    label: Option<&str>,
    mine: &'a [T],
    label_of: impl Fn(&T) -> &str,
) -> Option<&'a T> {
    let label = label.map(str::trim).filter(|l| !l.is_empty());
    match (label, kind, mine) {
        (Some(l), _, _) => mine
            .iter()
            .find(|r| crate::words::same_name(label_of(r), l)),
        (None, Kind::PushCertificate, [only]) => Some(only),
        (None, _, _) => None,
    }
}

fn verdict(decision: Decision) -> Verdict {
    Verdict {
        decision,
        warnings: Vec::new(),
    }
}

fn default_label(incoming: &Incoming, mine: &[&OnRecord]) -> String {
    if let Some(label) = &incoming.label {
        return label.clone();
    }
    let base = match incoming.kind {
        Kind::PushCertificate => "APNs certificate".to_owned(),
        Kind::ServerToken => "ADE token".to_owned(),
        Kind::ContentToken if !incoming.identity.is_empty() => incoming.identity.clone(),
        Kind::ContentToken => "Apps and Books token".to_owned(),
    };
    let taken = |l: &str| mine.iter().any(|r| r.label.eq_ignore_ascii_case(l));
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base} {n}"))
        .find(|l| !taken(l))
        .unwrap_or(base)
}

fn ambiguous(kind: Kind, candidates: &[&OnRecord]) -> Error {
    let labels: Vec<String> = candidates
        .iter()
        .map(|r| format!("\"{}\"", r.label))
        .collect();
    Error::Ambiguous {
        message: format!(
            "this client has several {}s ({}): say which one this file renews with its label, or give a new label to add it",
            kind.display_name(),
            labels.join(", ")
        ),
    }
}
