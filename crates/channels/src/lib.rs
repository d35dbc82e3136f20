//! TokenKeeper's alert delivery: takes the messages the core queued in its outbox and carries
//! them to e-mail (SMTP), Microsoft Teams, Slack or a signed JSON webhook, recording every
//! delivery and failure back in the vault. The rules (what is due, grouping, once-only,
//! backoff) live in the core; this crate only speaks the protocols.

pub mod render;
pub mod smtp;
pub mod webhook;

use chrono::{DateTime, Utc};
use tokenkeeper_core::vault::{ChannelKind, Delivery, DeliveryFailure};
use tokenkeeper_core::{Result, Vault};

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Messages delivered.
    pub delivered: u32,
    /// Messages that failed (tried again later).
    pub failed: u32,
}

/// How many messages one round claims at most.
pub const ROUND_MAX: usize = 50;

/// The time limit of each network step: well inside the outbox's claim lease, so a message is
/// never sent by two processes at once.
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Carries one message over its channel.
///
/// # Errors
/// A [`DeliveryFailure`] that says why in words, never with a secret in them.
pub fn send(
    d: &Delivery,
    now: DateTime<Utc>,
    timeout: std::time::Duration,
) -> std::result::Result<(), DeliveryFailure> {
    let missing = |what: &str| DeliveryFailure {
        message: format!("the channel's {what} is missing from the keychain: edit the channel"),
        retry_after: None,
    };
    match d.kind {
        ChannelKind::Email => {
            let (subject, text) = render::email(&d.message);
            // A client's own message goes to its contact only; the team has its own.
            let to = if d.extra_to.is_empty() {
                d.settings.to.clone()
            } else {
                d.extra_to.clone()
            };
            let from = d.settings.from.as_deref().unwrap_or_default();
            let message = smtp::compose(from, &to, &subject, &text, &d.message.id, now);
            smtp::send(
                &d.settings,
                d.secret.password.as_ref(),
                &to,
                &message,
                timeout,
            )
        }
        kind => {
            let url = d
                .secret
                .url
                .as_deref()
                .ok_or_else(|| missing("webhook address"))?;
            let (body, mut headers) = match kind {
                ChannelKind::Teams => (render::teams(&d.message).to_string(), Vec::new()),
                ChannelKind::Slack => (render::slack(&d.message).to_string(), Vec::new()),
                _ => (d.body.clone(), Vec::new()),
            };
            headers.push((webhook::DELIVERY_HEADER, d.message.id.clone()));
            if kind == ChannelKind::Webhook {
                if let Some(key) = d.secret.signing_key.as_deref() {
                    let sig =
                        webhook::signature(key.as_bytes(), body.as_bytes()).ok_or_else(|| {
                            DeliveryFailure {
                                message: "the body could not be signed".to_owned(),
                                retry_after: None,
                            }
                        })?;
                    headers.push((webhook::SIGNATURE_HEADER, sig));
                }
            }
            webhook::post(
                url,
                d.settings.ca_file.as_deref(),
                &headers,
                body.as_bytes(),
                timeout,
            )
        }
    }
}

/// One delivery round: claims what is due in the outbox, carries each message, records the
/// outcome (delivered, or failed and tried again after a backoff). `clock` is read after each
/// send, so outcomes carry the moment they happened.
///
/// # Errors
/// [`tokenkeeper_core::Error::Database`] when the outbox cannot be read or written.
pub fn deliver_due(
    vault: &mut Vault,
    clock: &dyn Fn() -> DateTime<Utc>,
    timeout: std::time::Duration,
) -> Result<Round> {
    let mut round = Round::default();
    let deliveries = vault.claim_deliveries(clock(), ROUND_MAX)?;
    for d in deliveries {
        let Some(id) = d.outbox_id else { continue };
        match send(&d, clock(), timeout) {
            Ok(()) => {
                vault.delivered(id, clock())?;
                round.delivered += 1;
            }
            Err(f) => {
                vault.delivery_failed(id, &f, clock())?;
                round.failed += 1;
            }
        }
    }
    Ok(round)
}

/// "Send test message": a sample message over the channel now, recorded in its health and the
/// event log.
///
/// # Errors
/// [`tokenkeeper_core::Error::NotFound`], [`tokenkeeper_core::Error::KeychainUnavailable`],
/// [`tokenkeeper_core::Error::Database`]; a failed send is
/// [`tokenkeeper_core::Error::InvalidInput`] with what the channel said.
pub fn send_test(
    vault: &mut Vault,
    name: &str,
    now: DateTime<Utc>,
    timeout: std::time::Duration,
) -> Result<()> {
    let d = vault.test_delivery(name, now)?;
    match send(&d, now, timeout) {
        Ok(()) => vault.record_test(&d.channel, Ok(()), now),
        Err(f) => {
            vault.record_test(&d.channel, Err(&f.message), now)?;
            Err(tokenkeeper_core::Error::InvalidInput {
                message: format!(
                    "the test message to \"{}\" failed: {}",
                    d.channel, f.message
                ),
            })
        }
    }
}
