//! `tokenkeeper import FILE --client NAME`: a new credential or a renewal, decided by the
//! file's identity, checked against the renewal rules, saved all or nothing.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use tokenkeeper_core::renewal::Decision;
use tokenkeeper_core::vault::{Confirmation, ImportRequest};
use tokenkeeper_core::{Error, Vault};
use zeroize::Zeroizing;

use crate::{date, read_file};

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The credential file (.pem, .p7m, .vpptoken, whatever its name).
    file: PathBuf,
    /// The client it belongs to.
    #[arg(long)]
    client: String,
    /// Private key: decrypts a server token, or is the key of a push certificate. Kept in the
    /// OS keychain with the credential.
    #[arg(long, value_name = "KEY")]
    key: Option<PathBuf>,
    /// Which credential it renews (by label), or the label of a new one.
    #[arg(long)]
    label: Option<String>,
    /// The Apple Account used in the portal, recorded for the next renewal.
    #[arg(long, value_name = "ID")]
    apple_account: Option<String>,
    /// Expiry shown in Apple Business Manager, for a server token without its key (RFC 3339 or YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    expires: Option<DateTime<Utc>>,
    /// Confirm the warnings (another MDM server, a new location, a second certificate).
    #[arg(long)]
    yes: bool,
    /// Accept an APNs certificate with a new topic: every enrolled device must re-enroll.
    #[arg(long)]
    accept_new_identity: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Parses a date typed by the user.
pub fn parse_date(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(d.with_timezone(&Utc));
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| format!("\"{s}\" is not a date (use 2027-03-04 or 2027-03-04T10:00:00Z)"))
}

/// Runs `import`.
pub fn run(args: &Args, vault: &mut Vault) -> Result<(), Error> {
    let req = ImportRequest {
        client: args.client.clone(),
        bytes: read_file(&args.file)?,
        file_name: args
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned()),
        key: match &args.key {
            Some(k) => Some(Zeroizing::new(read_file(k)?)),
            None => None,
        },
        label: args.label.clone(),
        apple_account: args.apple_account.clone(),
        expires_at: args.expires,
    };
    let confirmation = Confirmation {
        confirmed: args.yes,
        accept_new_identity: args.accept_new_identity,
    };
    let outcome = vault.import(&req, confirmation, Utc::now())?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&outcome).unwrap_or_default()
        );
        return Ok(());
    }
    let plan = &outcome.plan;
    let expiry = |e: Option<DateTime<Utc>>| e.map_or("expiry unknown".to_owned(), date);
    let line = match &plan.decision {
        Decision::AlreadyOnRecord { .. } => format!(
            "Already on record: this file is the current {} \"{}\" of {}; nothing changed.",
            plan.kind.display_name(),
            plan.label,
            plan.client
        ),
        Decision::New { .. } => format!(
            "Added {} \"{}\" to {}: {} ({}).",
            plan.kind.display_name(),
            plan.label,
            plan.client,
            plan.after.identity,
            expiry(plan.after.expires_at)
        ),
        Decision::Renew { .. } => format!(
            "Renewed {} \"{}\" of {}: now {} (was {}).",
            plan.kind.display_name(),
            plan.label,
            plan.client,
            expiry(plan.after.expires_at),
            expiry(plan.before.as_ref().and_then(|b| b.expires_at))
        ),
    };
    let _ = writeln!(out, "{line}");
    if let Some(key) = &plan.attaches_key {
        let _ = writeln!(
            out,
            "Matched the private key TokenKeeper kept (key {key}): it is now this credential's key; any previous key was retired."
        );
    }
    if plan.tracked_only && !matches!(plan.decision, Decision::AlreadyOnRecord { .. }) {
        let _ = writeln!(
            out,
            "Tracked only: TokenKeeper holds no private key for this certificate (the MDM that made its CSR keeps it) and watches its expiry and topic."
        );
    }
    for w in &plan.warnings {
        let _ = writeln!(out, "Accepted warning: {}", w.message);
    }
    if !matches!(plan.decision, Decision::AlreadyOnRecord { .. }) {
        let _ = writeln!(
            out,
            "Check with {} that devices still enroll and apps are still assigned.",
            plan.client
        );
    }
    Ok(())
}

/// A hint printed under a refusal that the user can override.
pub fn hint(e: &Error) -> Option<&'static str> {
    use tokenkeeper_core::error::ErrorKind;
    match e.kind() {
        ErrorKind::IdentityChanged => Some(
            "if every device re-enrolling is really intended, re-run with --accept-new-identity",
        ),
        ErrorKind::ConfirmationRequired | ErrorKind::Duplicate
            if matches!(e, Error::NeedsConfirmation { .. }) =>
        {
            Some("to go ahead anyway, re-run with --yes")
        }
        ErrorKind::Ambiguous => Some("re-run with --label LABEL"),
        _ => None,
    }
}
