//! `tokenkeeper inspect FILE [--key KEY] [--json]`: what a file is, whom it belongs to, when it
//! expires. Human form: a short summary; JSON form: the contract's object.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use tokenkeeper_core::{Credential, Error, PrivateKey, Thresholds, status};

use crate::{date, read_file};

/// Arguments of `inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The credential file (.pem, .p7m, .vpptoken, whatever its name).
    file: PathBuf,
    /// Private key: decrypts a server token, or checks a push certificate matches its key.
    #[arg(long, value_name = "KEY")]
    key: Option<PathBuf>,
    /// Print one JSON object instead of the summary.
    #[arg(long)]
    pub json: bool,
}

/// Runs `inspect`.
pub fn run(args: &Args) -> Result<ExitCode, Error> {
    let bytes = read_file(&args.file)?;
    let key = match &args.key {
        Some(path) => Some(PrivateKey::from_bytes(&read_file(path)?)?),
        None => None,
    };
    let credential = tokenkeeper_core::read(&bytes, key.as_ref())?;
    let mut out = std::io::stdout().lock();
    let text = if args.json {
        serde_json::to_string_pretty(&credential).map_err(|e| Error::Io {
            path: "stdout".to_owned(),
            source: e.into(),
        })?
    } else {
        summary(&credential, Utc::now())
    };
    let _ = writeln!(out, "{text}");
    Ok(ExitCode::SUCCESS)
}

/// The human summary: kind, identity, expiry, days left, state.
fn summary(credential: &Credential, now: DateTime<Utc>) -> String {
    let mut lines: Vec<(&str, String)> = Vec::new();
    let title = match credential {
        Credential::PushCertificate(c) => {
            lines.push(("Topic", c.topic.to_string()));
            lines.push(("Subject", c.subject_cn.clone()));
            lines.push(("Issuer", c.issuer_cn.clone()));
            lines.push(("Serial", c.serial.clone()));
            lines.push(("Valid from", date(c.not_before)));
            let key = match c.key_matches {
                Some(true) => "matches this certificate",
                Some(false) => "does NOT match this certificate: it was made for another CSR",
                None => "not checked (give --key KEY)",
            };
            lines.push(("Private key", key.to_owned()));
            "APNs push certificate".to_owned()
        }
        Credential::ServerToken(t) => {
            if let Some(ck) = &t.consumer_key {
                lines.push(("Consumer key", ck.clone()));
            }
            lines.push(("Encrypted for", t.recipient.to_string()));
            lines.push(("Cipher", t.cipher.name().to_owned()));
            if t.decrypted {
                "ADE server token (decrypted)".to_owned()
            } else {
                "ADE server token (not decrypted: give --key KEY to read its expiry)".to_owned()
            }
        }
        Credential::ContentToken(t) => {
            let org = if t.org_name.is_empty() {
                "(none in the file)"
            } else {
                &t.org_name
            };
            lines.push(("Organisation", org.to_owned()));
            lines.push(("SHA-256", t.sha256.clone()));
            "Apps and Books token".to_owned()
        }
    };
    let thresholds = Thresholds::default();
    let state = status(credential.expires_at(), None, now, thresholds);
    match credential.expires_at() {
        Some(expiry) => lines.push((
            "Expires",
            format!("{} ({})", date(expiry), state.time_phrase(thresholds)),
        )),
        None => lines.push(("Expires", "unknown without the private key".to_owned())),
    }
    let state_text = match (credential.expires_at(), &state.reason) {
        (None, _) => "not known until decrypted".to_owned(),
        (Some(_), Some(reason)) => format!("{}: {reason}", state.state.label()),
        (Some(_), None) => state.state.label().to_owned(),
    };
    lines.push(("State", state_text));
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = title;
    for (k, v) in lines {
        out.push_str(&format!("\n  {k:<width$}  {v}"));
    }
    out
}
