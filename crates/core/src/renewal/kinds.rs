//! The rules of each kind: which credential on record a file renews, and what must be refused
//! or confirmed. APNs: the topic decides, and a new topic is a warning, never a renewal. ADE:
//! the MDM server's consumer key decides, or its recipient certificate for a token read without
//! its key. Apps and Books: the location decides, one token per location.

use super::{
    Decision, Incoming, OnRecord, Verdict, Warning, WarningKind, ambiguous, default_label,
    recipient_identity, verdict,
};
use crate::error::{Error, Result};
use crate::token::Kind;

pub(super) fn push_certificate(
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

pub(super) fn server_token(
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

pub(super) fn content_token(
    client: &str,
    incoming: &Incoming,
    records: &[OnRecord],
    mine: &[&OnRecord],
    by_label: Option<&OnRecord>,
) -> Result<Verdict> {
    // One token per location: the same location kept for two clients means one of them holds
    // the wrong file, and serving it to both MDMs would take the licences from one of them.
    if let Some(other) = records.iter().find(|r| {
        !incoming.identity.is_empty()
            && r.identity == incoming.identity
            && !r.client.eq_ignore_ascii_case(client)
    }) {
        return Err(Error::Duplicate {
            message: format!(
                "this Apps and Books token (organisation \"{}\") is on record for {} (\"{}\"): one token serves one location in one MDM; import it for {}, or check which client's file this is",
                incoming.identity, other.client, other.label, other.client
            ),
        });
    }
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
