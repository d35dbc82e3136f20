//! `tokenkeeper client add|list|remove|edit`: the organisations whose credentials are kept.

use std::io::Write;

use chrono::Utc;
use clap::Subcommand;
use tokenkeeper_core::{Error, Portal, Vault};

/// Client subcommands.
#[derive(Debug, Subcommand)]
pub enum Args {
    /// Add a client.
    Add {
        /// Its name (unique, case-insensitive).
        name: String,
        /// The Apple portal it uses: business (Apple Business Manager) or school (Apple School Manager).
        #[arg(long, default_value = "business", value_parser = ["business", "school"])]
        portal: String,
        /// Free notes.
        #[arg(long, default_value = "")]
        notes: String,
        /// Print the client as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the clients.
    List {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Change a client's name, portal or notes.
    Edit {
        /// Its current name.
        name: String,
        /// A new name.
        #[arg(long)]
        rename: Option<String>,
        /// business or school.
        #[arg(long, value_parser = ["business", "school"])]
        portal: Option<String>,
        /// New notes.
        #[arg(long)]
        notes: Option<String>,
        /// Days before expiry when Renewal Required starts for this client: 30, 45, 60 or 90
        /// (`default`: the vault's setting).
        #[arg(long, value_name = "N|default")]
        warn_days: Option<String>,
        /// The client's own contact, told by the e-mail channels too (`none` removes it).
        #[arg(long, value_name = "ADDR|none")]
        contact: Option<String>,
    },
    /// Remove a client, its credentials and their secrets (the audit log keeps the history).
    Remove {
        /// Its name.
        name: String,
        /// Confirm the removal.
        #[arg(long)]
        yes: bool,
    },
}

impl Args {
    /// Whether errors are printed as JSON.
    pub fn json(&self) -> bool {
        match self {
            Args::Add { json, .. } | Args::List { json } => *json,
            _ => false,
        }
    }
}

fn portal(id: &str) -> Portal {
    Portal::parse(id).unwrap_or_default()
}

/// Runs a client subcommand.
pub fn run(args: &Args, vault: &mut Vault) -> Result<(), Error> {
    let now = Utc::now();
    let mut out = std::io::stdout().lock();
    match args {
        Args::Add {
            name,
            portal: p,
            notes,
            json,
        } => {
            let client = vault.add_client(name, portal(p), notes, now)?;
            if *json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&client).unwrap_or_default()
                );
            } else {
                let _ = writeln!(out, "Added {} ({})", client.name, client.portal.url());
            }
        }
        Args::List { json } => {
            let clients = vault.clients()?;
            if *json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&clients).unwrap_or_default()
                );
            } else if clients.is_empty() {
                let _ = writeln!(
                    out,
                    "No clients yet: add one with `tokenkeeper client add NAME`."
                );
            } else {
                for c in clients {
                    let _ = writeln!(
                        out,
                        "{:<32} {:<8} {} credential{}",
                        c.name,
                        c.portal.id(),
                        c.credentials,
                        if c.credentials == 1 { "" } else { "s" }
                    );
                }
            }
        }
        Args::Edit {
            name,
            rename,
            portal: p,
            notes,
            warn_days,
            contact,
        } => {
            let current = vault.client(name)?;
            if warn_days.is_some() || contact.is_some() {
                let mut alerting = vault.client_alerting(name)?;
                if let Some(w) = warn_days {
                    alerting.warn_days = if w.eq_ignore_ascii_case("default") {
                        None
                    } else {
                        Some(w.trim().parse().map_err(|_| Error::InvalidInput {
                            message: format!(
                                "--warn-days takes 30, 45, 60, 90 or default, not \"{w}\""
                            ),
                        })?)
                    };
                }
                if let Some(c) = contact {
                    alerting.contact_email = (!c.eq_ignore_ascii_case("none")).then(|| c.clone());
                }
                vault.set_client_alerting(name, &alerting, now)?;
            }
            if rename.is_none() && p.is_none() && notes.is_none() {
                let a = vault.client_alerting(name)?;
                let _ = writeln!(
                    out,
                    "Updated {}: warning threshold {}, contact {}",
                    current.name,
                    a.warn_days
                        .map_or("the vault's".to_owned(), |d| format!("{d} days")),
                    a.contact_email.as_deref().unwrap_or("none")
                );
                return Ok(());
            }
            let updated = vault.update_client(
                name,
                rename.as_deref().unwrap_or(&current.name),
                p.as_deref().map_or(current.portal, portal),
                notes.as_deref().unwrap_or(&current.notes),
                now,
            )?;
            let _ = writeln!(out, "Updated {} ({})", updated.name, updated.portal.url());
        }
        Args::Remove { name, yes } => {
            let client = vault.client(name)?;
            if !yes {
                return Err(Error::InvalidInput {
                    message: format!(
                        "removing {} deletes its {} credential(s) and their keys from the keychain: add --yes to confirm",
                        client.name, client.credentials
                    ),
                });
            }
            vault.remove_client(name, now)?;
            let _ = writeln!(out, "Removed {}", client.name);
        }
    }
    Ok(())
}
