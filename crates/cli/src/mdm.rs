//! `tokenkeeper mdm add|list|sync|remove`: read-only connections to each client's MDM console.
//! The API secret comes from `TOKENKEEPER_MDM_SECRET` or a prompt, never the command line, and
//! goes to the keychain.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use chrono::Utc;
use clap::Subcommand;
use tokenkeeper_core::vault::{MdmForm, MdmSyncReport};
use tokenkeeper_core::{Error, Vault};
use tokenkeeper_mdm::SyncOptions;

use crate::date;

/// MDM subcommands.
#[derive(Debug, Subcommand)]
pub enum Args {
    /// Connect a client's MDM (read-only). The secret: TOKENKEEPER_MDM_SECRET, else a prompt.
    Add {
        /// A unique name for the connection.
        name: String,
        /// The client it belongs to.
        #[arg(long)]
        client: String,
        /// Which MDM.
        #[arg(long, value_parser = ["intune", "jamf", "fleet", "kandji", "simplemdm", "jumpcloud"])]
        vendor: String,
        /// The console's base URL (Intune, SimpleMDM and JumpCloud have a default).
        #[arg(long)]
        url: Option<String>,
        /// Intune: the tenant (directory) id; JumpCloud: the organisation id.
        #[arg(long)]
        tenant: Option<String>,
        /// Intune and Jamf: the API client's id.
        #[arg(long)]
        client_id: Option<String>,
        /// A CA certificate (PEM) to trust for a console on a private CA.
        #[arg(long, value_name = "PEM")]
        ca_file: Option<PathBuf>,
        /// Print the connection as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the connections and their last sync.
    List {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Read the connection named, or all; exit 0 all read, 3 one could not be read.
    Sync {
        /// Only this connection.
        name: Option<String>,
        /// Time limit of each connection, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
        timeout: u64,
        /// Connections read at once.
        #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..=256))]
        concurrency: u64,
        /// Print a JSON array, one object per connection.
        #[arg(long)]
        json: bool,
    },
    /// Remove a connection and its secret.
    Remove {
        /// Its name.
        name: String,
    },
}

impl Args {
    /// Whether the output is JSON.
    pub fn json(&self) -> bool {
        match self {
            Args::Add { json, .. } | Args::List { json } | Args::Sync { json, .. } => *json,
            Args::Remove { .. } => false,
        }
    }
}

/// Runs an `mdm` subcommand.
pub fn run(args: &Args, vault: &mut Vault) -> Result<ExitCode, Error> {
    let mut out = std::io::stdout().lock();
    match args {
        Args::Add {
            name,
            client,
            vendor,
            url,
            tenant,
            client_id,
            ca_file,
            json,
        } => {
            let ca_pem = match ca_file {
                Some(path) => String::from_utf8_lossy(&crate::read_file(path)?).into_owned(),
                None => String::new(),
            };
            let form = MdmForm {
                name: name.clone(),
                client: client.clone(),
                vendor: vendor.clone(),
                url: url.clone().unwrap_or_default(),
                tenant: tenant.clone().unwrap_or_default(),
                client_id: client_id.clone().unwrap_or_default(),
                ca_pem,
            };
            let settings = form.check()?;
            let secret = crate::secret::mdm_secret(settings.vendor.secret_name())?;
            let c = vault.add_mdm_connection(
                &form,
                secrecy::ExposeSecret::expose_secret(&secret).as_bytes(),
                Utc::now(),
            )?;
            if *json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&c).unwrap_or_default()
                );
            } else {
                let _ = writeln!(
                    out,
                    "Connected {} ({}) for {}: `tokenkeeper mdm sync \"{}\"` reads it.",
                    c.name,
                    c.vendor.name(),
                    c.client,
                    c.name
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Args::List { json } => {
            let list = vault.mdm_connections()?;
            if *json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&list).unwrap_or_default()
                );
            } else if list.is_empty() {
                let _ = writeln!(
                    out,
                    "No MDM connections: `tokenkeeper mdm add NAME --client CLIENT --vendor VENDOR ...`."
                );
            }
            if !*json {
                for c in &list {
                    let last = match (&c.last_error, c.synced_at) {
                        (Some(e), _) => format!("last sync failed: {e}"),
                        (None, Some(t)) => format!("synced {} ({} credential(s))", date(t), c.held),
                        (None, None) => "never synced".to_owned(),
                    };
                    let _ = writeln!(
                        out,
                        "{:<24} {:<20} {:<10} {}  {last}",
                        c.name,
                        c.client,
                        c.vendor.id(),
                        c.url
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Args::Sync {
            name,
            timeout,
            concurrency,
            json,
        } => {
            let options = SyncOptions {
                concurrency: usize::try_from(*concurrency).unwrap_or(16),
                timeout: Duration::from_secs(*timeout),
            };
            let reports = tokenkeeper_mdm::sync(vault, name.as_deref(), Utc::now(), options)?;
            if *json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&reports).unwrap_or_default()
                );
            } else if reports.is_empty() {
                let _ = writeln!(out, "No MDM connections to sync.");
            } else {
                for r in &reports {
                    let _ = writeln!(out, "{}", line(r));
                }
            }
            Ok(ExitCode::from(if reports.iter().all(|r| r.ok) {
                0
            } else {
                3
            }))
        }
        Args::Remove { name } => {
            vault.remove_mdm_connection(name, Utc::now())?;
            let _ = writeln!(out, "Removed the MDM connection {name} and its secret.");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn line(r: &MdmSyncReport) -> String {
    match &r.error {
        None => format!("OK           {:<24} {}", r.connection, r.summary()),
        Some(e) => format!("NOT READ     {:<24} {e}", r.connection),
    }
}
