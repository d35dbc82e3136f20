//! `tokenkeeper channel add|edit|list|test|remove`: where alerts go (e-mail, Teams, Slack, a
//! signed webhook). Secrets never come from the command line's own words where they can be
//! avoided: the signing key from `TOKENKEEPER_WEBHOOK_SECRET`, the SMTP password from
//! `TOKENKEEPER_SMTP_PASSWORD`, else a prompt (or standard input); all go to the keychain.

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use clap::Subcommand;
use tokenkeeper_core::vault::{
    Channel, ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, parse_smtp_url,
};
use tokenkeeper_core::{Error, Vault};
use zeroize::Zeroizing;

use crate::date;

/// Where a channel's messages go, as typed.
#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    /// A webhook's URL (Teams Workflows, Slack, or any JSON receiver); it carries a token, so
    /// it is kept in the keychain and never shown again. See also --webhook-env.
    #[arg(long, value_name = "URL", conflicts_with_all = ["smtp", "webhook_env"])]
    webhook: Option<String>,
    /// Read the webhook's URL from this environment variable instead.
    #[arg(long, value_name = "VAR", conflicts_with = "smtp")]
    webhook_env: Option<String>,
    /// What the webhook takes: generic (signed JSON), slack or teams.
    #[arg(long, value_parser = ["generic", "slack", "teams"])]
    format: Option<String>,
    /// An SMTP server: smtp://USER@HOST:PORT (STARTTLS) or smtps://USER@HOST:PORT (TLS).
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,
    /// The e-mail sender.
    #[arg(long, value_name = "ADDR")]
    from: Option<String>,
    /// The e-mail recipients, comma-separated.
    #[arg(long, value_name = "ADDR[,ADDR]", value_delimiter = ',')]
    to: Vec<String>,
    /// The clients it serves, comma-separated (`all`: every client, the default).
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    clients: Vec<String>,
    /// Trust this PEM certificate authority for the server (a company's own CA).
    #[arg(long, value_name = "PEM")]
    ca_file: Option<PathBuf>,
}

/// Channel subcommands.
#[derive(Debug, Subcommand)]
pub enum Args {
    /// Add a channel.
    Add {
        /// Its name.
        name: String,
        #[command(flatten)]
        target: Target,
    },
    /// Change a channel (what is given replaces what it had).
    Edit {
        /// Its current name.
        name: String,
        /// A new name.
        #[arg(long)]
        rename: Option<String>,
        #[command(flatten)]
        target: Target,
    },
    /// List the channels with their health.
    List {
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Send a test message now.
    Test {
        /// Its name.
        name: String,
    },
    /// Remove a channel, its waiting messages and its secret.
    Remove {
        /// Its name.
        name: String,
    },
}

impl Args {
    /// Whether errors are printed as JSON.
    pub fn json(&self) -> bool {
        matches!(self, Args::List { json: true })
    }
}

fn secret_from(env: &str, what: &str) -> Result<Zeroizing<String>, Error> {
    let var = std::env::var(env).ok().filter(|v| !v.is_empty());
    let value = match var {
        Some(v) => Zeroizing::new(v),
        None => {
            let args = crate::secret::PasswordArgs::default();
            let s = args.read(what, false)?;
            Zeroizing::new(secrecy::ExposeSecret::expose_secret(&s).to_owned())
        }
    };
    Ok(value)
}

fn clients(list: &[String]) -> Option<Option<Vec<String>>> {
    match list {
        [] => None,
        [all] if all.eq_ignore_ascii_case("all") => Some(None),
        names => Some(Some(names.iter().map(|n| n.trim().to_owned()).collect())),
    }
}

/// The spec and secret `t` describes, on top of `base` (an edit) or from nothing (an add).
fn build(
    name: &str,
    t: &Target,
    base: Option<&Channel>,
) -> Result<(ChannelSpec, Option<ChannelSecret>), Error> {
    let url = match (&t.webhook, &t.webhook_env) {
        (Some(u), _) => Some(Zeroizing::new(u.clone())),
        (None, Some(var)) => Some(Zeroizing::new(std::env::var(var).map_err(|_| {
            Error::InvalidInput {
                message: format!("the environment variable {var} (the webhook URL) is not set"),
            }
        })?)),
        (None, None) => None,
    };
    let kind = match (&t.smtp, &url, &t.format, base) {
        (Some(_), _, _, _) => ChannelKind::Email,
        (None, _, Some(f), _) => ChannelKind::parse(f).unwrap_or(ChannelKind::Webhook),
        (None, Some(_), None, None) => ChannelKind::Webhook,
        (None, _, None, Some(b)) => b.kind,
        (None, None, None, None) => {
            return Err(Error::InvalidInput {
                message: "a channel is --webhook URL [--format generic|slack|teams] or --smtp smtp://USER@HOST:PORT --from ADDR --to ADDR".to_owned(),
            });
        }
    };
    let mut settings = base.map(|b| b.settings.clone()).unwrap_or_default();
    let mut secret = None;
    if let Some(server) = &t.smtp {
        let (security, user, host, port) = parse_smtp_url(server)?;
        settings = ChannelSettings {
            host,
            port,
            security,
            username: user.clone(),
            ..settings
        };
        let password = match user {
            Some(u) => Some(secret_from(
                "TOKENKEEPER_SMTP_PASSWORD",
                &format!("SMTP password of {u}"),
            )?),
            None => None,
        };
        secret = Some(ChannelSecret {
            password,
            ..ChannelSecret::default()
        });
    }
    if let Some(url) = url {
        let signing_key = if kind == ChannelKind::Webhook {
            Some(secret_from(
                "TOKENKEEPER_WEBHOOK_SECRET",
                "webhook signing key",
            )?)
        } else {
            None
        };
        secret = Some(ChannelSecret {
            url: Some(url),
            signing_key,
            ..ChannelSecret::default()
        });
    }
    if let Some(from) = &t.from {
        settings.from = Some(from.trim().to_owned());
    }
    if !t.to.is_empty() {
        settings.to = t.to.iter().map(|a| a.trim().to_owned()).collect();
    }
    if let Some(ca) = &t.ca_file {
        settings.ca_file = Some(ca.display().to_string());
    }
    let spec = ChannelSpec {
        name: name.to_owned(),
        kind,
        settings,
        clients: clients(&t.clients).unwrap_or_else(|| base.and_then(|b| b.clients.clone())),
    };
    Ok((spec, secret))
}

fn health(c: &Channel) -> String {
    let h = &c.health;
    let mut s = match (h.problem, h.last_success_at) {
        (true, _) => format!("FAILING ({} attempts)", h.failures),
        (false, Some(at)) => format!("ok, last delivery {}", date(at)),
        (false, None) => "ok, nothing delivered yet".to_owned(),
    };
    if h.pending > 0 {
        s.push_str(&format!(", {} waiting", h.pending));
    }
    if let (Some(e), Some(at)) = (&h.last_error, h.last_failure_at) {
        s.push_str(&format!("; last failure {}: {e}", date(at)));
    }
    s
}

/// Runs a channel subcommand.
pub fn run(args: &Args, vault: &mut Vault) -> Result<(), Error> {
    let now = Utc::now();
    let mut out = std::io::stdout().lock();
    match args {
        Args::Add { name, target } => {
            let (spec, secret) = build(name, target, None)?;
            let secret = secret.unwrap_or_default();
            let c = vault.add_channel(&spec, &secret, now)?;
            let _ = writeln!(
                out,
                "Added channel {} ({}); `tokenkeeper channel test \"{}\"` sends a test message",
                c.name,
                c.kind.id(),
                c.name
            );
        }
        Args::Edit {
            name,
            rename,
            target,
        } => {
            let current = vault.channel(name)?;
            let (spec, secret) = build(
                rename.as_deref().unwrap_or(&current.name),
                target,
                Some(&current),
            )?;
            let c = vault.update_channel(name, &spec, secret.as_ref(), now)?;
            let _ = writeln!(out, "Updated channel {}", c.name);
        }
        Args::List { json } => {
            let channels = vault.channels()?;
            if *json {
                let _ = writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&channels).unwrap_or_default()
                );
            } else if channels.is_empty() {
                let _ = writeln!(
                    out,
                    "No channels yet: `tokenkeeper channel add NAME --webhook URL` or `--smtp smtp://USER@HOST:PORT --from ADDR --to ADDR`."
                );
            } else {
                for c in channels {
                    let to = match c.kind {
                        ChannelKind::Email => format!(
                            "{}:{} -> {}",
                            c.settings.host,
                            c.settings.port,
                            c.settings.to.join(", ")
                        ),
                        _ => c.endpoint.clone().unwrap_or_default(),
                    };
                    let who = c
                        .clients
                        .as_ref()
                        .map_or("all clients".to_owned(), |l| l.join(", "));
                    let _ = writeln!(
                        out,
                        "{:<20} {:<8} {to} [{who}] {}",
                        c.name,
                        c.kind.id(),
                        health(&c)
                    );
                }
            }
        }
        Args::Test { name } => {
            tokenkeeper_channels::send_test(vault, name, now, tokenkeeper_channels::TIMEOUT)?;
            let _ = writeln!(out, "Test message delivered to {name}");
        }
        Args::Remove { name } => {
            vault.remove_channel(name, now)?;
            let _ = writeln!(out, "Removed channel {name}");
        }
    }
    Ok(())
}
