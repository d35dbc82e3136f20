//! The renewal rules: given a credential file just read and what is on record, decide whether it
//! is a new credential, a renewal of one (and which), or the same file again; and which warnings
//! the user must confirm or which refusals stop it. Decided by identity, never by file name.
//! Pure: no database, no keychain, no clock.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{Error, Recipient, Result};
use crate::token::Kind;

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

/// Kinds of warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// An APNs certificate with another topic: devices must re-enroll. Needs an explicit,
    /// typed acceptance (`--accept-new-identity`), never a plain yes.
    NewTopic,
    /// An ADE token for another MDM server, or a content token for another organisation.
    IdentityChanged,
    /// A second APNs certificate for a client that has one.
    SecondCertificate,
    /// A content token for a new location of an organisation that already has one.
    NewLocation,
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
    // The same bytes anywhere: nothing to do here, or a duplicate elsewhere.
    if let Some(same) = records
        .iter()
        .find(|r| r.file_sha256 == incoming.file_sha256)
    {
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
                "this exact file is already on record as {} of {} (\"{}\"): renew the existing {} instead of adding it again",
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
        Kind::ContentToken => content_token(incoming, &mine, by_label)?,
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

fn push_certificate(
    client: &str,
    incoming: &Incoming,
    records: &[OnRecord],
    mine: &[&OnRecord],
    by_label: Option<&OnRecord>,
) -> Result<Verdict> {
    if let Some(same) = records.iter().find(|r| r.identity == incoming.identity) {
        if !same.client.eq_ignore_ascii_case(client) {
            return Err(Error::Duplicate {
                message: format!(
                    "this push certificate (topic {}) is on record for {}: one APNs certificate serves one MDM; import it for {}, or check which client's file this is",
                    incoming.identity, same.client, same.client
                ),
            });
        }
        return Ok(verdict(Decision::Renew {
            uid: same.uid.clone(),
        }));
    }
    let target = match (by_label, incoming.label.is_some(), mine) {
        (Some(t), _, _) => Some(t),
        (None, false, [only]) => Some(*only),
        (None, false, []) | (None, true, _) => None,
        (None, false, several) => return Err(ambiguous(Kind::PushCertificate, several)),
    };
    let Some(target) = target else {
        let mut v = verdict(Decision::New {
            label: default_label(incoming, mine),
        });
        if let Some(existing) = mine.first() {
            v.warnings.push(Warning {
                kind: WarningKind::SecondCertificate,
                message: format!(
                    "{client} already has an APNs certificate (\"{}\", topic {}): if this file renews it, import it as \"{}\"; a second certificate only makes sense for a second MDM server",
                    existing.label, existing.identity, existing.label
                ),
            });
        }
        return Ok(v);
    };
    let account = target
        .apple_account
        .as_deref()
        .map_or("the Apple Account that created it".to_owned(), |a| {
            format!("the Apple Account {a}")
        });
    Ok(Verdict {
        decision: Decision::Renew {
            uid: target.uid.clone(),
        },
        warnings: vec![Warning {
            kind: WarningKind::NewTopic,
            message: format!(
                "this is a new certificate, not a renewal: its topic {} differs from {} on record for \"{}\", so every enrolled device would have to re-enroll; in the portal (identity.apple.com), signed in with {account}, Renew the row whose topic is {}",
                incoming.identity, target.identity, target.label, target.identity
            ),
        }],
    })
}

fn server_token(
    client: &str,
    incoming: &Incoming,
    records: &[OnRecord],
    mine: &[&OnRecord],
    by_label: Option<&OnRecord>,
) -> Result<Verdict> {
    // A token read without its key is known only by its recipient certificate: it matches any
    // record with that recipient, and a record stored that way matches by recipient too.
    let same_identity = |r: &&OnRecord| {
        let record_decrypted = r
            .recipient
            .as_ref()
            .is_none_or(|rc| r.identity != recipient_identity(rc));
        r.identity == incoming.identity
            || ((!incoming.decrypted || !record_decrypted)
                && r.recipient.is_some()
                && r.recipient == incoming.recipient)
    };
    if incoming.decrypted {
        if let Some(other) = records
            .iter()
            .find(|r| r.identity == incoming.identity && !r.client.eq_ignore_ascii_case(client))
        {
            return Err(Error::Duplicate {
                message: format!(
                    "this token is for the MDM server of {} (\"{}\", same consumer key): import it there, or renew the existing token instead",
                    other.client, other.label
                ),
            });
        }
    }
    let matching: Vec<&OnRecord> = mine.iter().copied().filter(same_identity).collect();
    if let Some(label) = &incoming.label {
        if let Some(target) = by_label {
            if matching.iter().any(|m| m.uid == target.uid) {
                return Ok(verdict(Decision::Renew {
                    uid: target.uid.clone(),
                }));
            }
            return Ok(Verdict {
                decision: Decision::Renew {
                    uid: target.uid.clone(),
                },
                warnings: vec![identity_changed_ade(incoming, target)],
            });
        }
        let _ = label;
        return Ok(verdict(Decision::New {
            label: default_label(incoming, mine),
        }));
    }
    match (matching.as_slice(), mine) {
        ([one], _) => Ok(verdict(Decision::Renew {
            uid: one.uid.clone(),
        })),
        ([], []) => Ok(verdict(Decision::New {
            label: default_label(incoming, mine),
        })),
        ([], [only]) => Ok(Verdict {
            decision: Decision::Renew {
                uid: only.uid.clone(),
            },
            warnings: vec![identity_changed_ade(incoming, only)],
        }),
        ([], several) | (several, _) => Err(ambiguous(Kind::ServerToken, several)),
    }
}

fn identity_changed_ade(incoming: &Incoming, target: &OnRecord) -> Warning {
    let what = if incoming.decrypted {
        format!("consumer key {}", incoming.identity)
    } else {
        "certificate".to_owned()
    };
    Warning {
        kind: WarningKind::IdentityChanged,
        message: format!(
            "this token is for another MDM server ({what}) than \"{}\" ({}): confirm only if another ABM administrator renewed it; if it belongs to a different MDM server, add it under a new label instead",
            target.label, target.identity
        ),
    }
}

fn content_token(
    incoming: &Incoming,
    mine: &[&OnRecord],
    by_label: Option<&OnRecord>,
) -> Result<Verdict> {
    let same_org: Vec<&OnRecord> = mine
        .iter()
        .copied()
        .filter(|r| r.identity == incoming.identity)
        .collect();
    if let Some(target) = by_label {
        let mut v = verdict(Decision::Renew {
            uid: target.uid.clone(),
        });
        if target.identity != incoming.identity {
            v.warnings.push(Warning {
                kind: WarningKind::IdentityChanged,
                message: format!(
                    "this token is for the organisation \"{}\", but \"{}\" holds a token for \"{}\": confirm only if the organisation was renamed",
                    incoming.identity, target.label, target.identity
                ),
            });
        }
        return Ok(v);
    }
    if incoming.label.is_some() {
        let mut v = verdict(Decision::New {
            label: default_label(incoming, mine),
        });
        if !same_org.is_empty() {
            let labels: Vec<String> = same_org
                .iter()
                .map(|r| format!("\"{}\"", r.label))
                .collect();
            v.warnings.push(Warning {
                kind: WarningKind::NewLocation,
                message: format!(
                    "{} already has a token for {}: if this token is for that location, renew it instead; a second token for one location duplicates every app in the MDM",
                    incoming.identity,
                    labels.join(", ")
                ),
            });
        }
        return Ok(v);
    }
    match same_org.as_slice() {
        [] => Ok(verdict(Decision::New {
            label: default_label(incoming, mine),
        })),
        [one] => Ok(verdict(Decision::Renew {
            uid: one.uid.clone(),
        })),
        several => Err(ambiguous(Kind::ContentToken, several)),
    }
}
