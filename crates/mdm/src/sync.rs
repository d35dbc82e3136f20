//! A sync, end to end, for the desktop shell and the command line: the vault's connections and
//! secrets to the connectors (many at once, each with its time limit), their answers back to
//! the vault. And the form's test button: one connection read without storing anything.

use std::time::Duration;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use tokenkeeper_core::vault::{MdmAccess, MdmForm, MdmSettings, MdmSyncReport};
use tokenkeeper_core::{Error, Vault};

use crate::{Endpoint, SyncError, fetch, fetch_many};

/// How a sync runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOptions {
    /// Connections read at once.
    pub concurrency: usize,
    /// Time limit of one connection, all its calls included.
    pub timeout: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            concurrency: 16,
            timeout: Duration::from_secs(30),
        }
    }
}

/// The endpoint of a connection's settings with its secret.
pub fn endpoint(settings: &MdmSettings, secret: SecretString) -> Endpoint {
    Endpoint {
        vendor: settings.vendor,
        url: settings.url.clone(),
        tenant: settings.tenant.clone(),
        client_id: settings.client_id.clone(),
        ca_pem: settings.ca_pem.clone(),
        secret,
    }
}

/// Reads the connection named, or every connection, and records what each held.
///
/// # Errors
/// [`Error::NotFound`] for an unknown name, [`Error::KeychainUnavailable`],
/// [`Error::Database`]; a connection that cannot be read is a report, not an error.
pub fn sync(
    vault: &mut Vault,
    name: Option<&str>,
    now: DateTime<Utc>,
    options: SyncOptions,
) -> Result<Vec<MdmSyncReport>, Error> {
    let access = vault.mdm_access(name)?;
    run(vault, access, now, options)
}

/// Reads the connections due for a scheduled sync at `now` and records what each held.
///
/// # Errors
/// As [`sync`].
pub fn sync_due(
    vault: &mut Vault,
    now: DateTime<Utc>,
    options: SyncOptions,
) -> Result<Vec<MdmSyncReport>, Error> {
    let due = vault.mdm_syncs_due(now)?;
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let access = vault
        .mdm_access(None)?
        .into_iter()
        .filter(|a| due.contains(&a.settings.name))
        .collect();
    run(vault, access, now, options)
}

fn run(
    vault: &mut Vault,
    access: Vec<MdmAccess>,
    now: DateTime<Utc>,
    options: SyncOptions,
) -> Result<Vec<MdmSyncReport>, Error> {
    let mut outcomes = Vec::with_capacity(access.len());
    let mut jobs = Vec::with_capacity(access.len());
    for a in access {
        match a.secret {
            Some(secret) => jobs.push((a.uid, endpoint(&a.settings, secret))),
            None => outcomes.push((
                a.uid,
                Err(format!(
                    "the {} is missing from the keychain: remove the connection and add it again",
                    a.settings.vendor.secret_name()
                )),
            )),
        }
    }
    for (uid, result) in fetch_many(jobs, options.concurrency, options.timeout) {
        outcomes.push((uid, result.map_err(|e: SyncError| e.to_string())));
    }
    vault.record_mdm_syncs(outcomes, now)
}

/// Reads the console `form` describes with `secret`, storing nothing: the form's test button.
///
/// # Errors
/// [`Error::InvalidInput`] for a form that cannot work; a console that cannot be read is a
/// report with its error.
pub fn test(
    form: &MdmForm,
    secret: SecretString,
    timeout: Duration,
) -> Result<MdmSyncReport, Error> {
    let settings = form.check()?;
    let result = fetch(&endpoint(&settings, secret), timeout).map_err(|e| e.to_string());
    Ok(MdmSyncReport::new(&settings.name, settings.vendor, &result))
}
