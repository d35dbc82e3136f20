//! Making and keeping keys: `keypair` (ADE key pairs: new, or an existing MDM's imported) and
//! `keys` (list or remove pending keys). The APNs commands (`csr`, `vendor add`,
//! `push-request`) are in `keys/push.rs`.

mod push;

pub use push::{CsrArgs, PushRequestArgs, VendorArgs, csr, push_request, vendor};

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use clap::Subcommand;
use tokenkeeper_core::vault::{KeyPurpose, KeyRecord};
use tokenkeeper_core::{Error, Vault};
use zeroize::Zeroizing;

use crate::read_file;
use crate::secret::PasswordArgs;

/// `keypair` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeypairArgs {
    /// Make an ADE key pair: the key stays in the keychain, the certificate is saved to upload to
    /// the MDM server in Apple Business Manager.
    New {
        /// The client whose MDM server entry gets the certificate.
        #[arg(long)]
        client: String,
        /// The certificate's common name.
        #[arg(long, value_name = "NAME")]
        common_name: Option<String>,
        /// Where to save the certificate (PEM).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Keep an existing MDM's ADE key (PEM, encrypted PEM, DER or .p12) so its tokens can be read.
    Import {
        /// The private key file.
        file: PathBuf,
        /// The client it belongs to.
        #[arg(long)]
        client: String,
        /// The certificate uploaded to ABM with this key, when not inside the key file.
        #[arg(long, value_name = "FILE")]
        cert: Option<PathBuf>,
        #[command(flatten)]
        password: PasswordArgs,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
}

impl KeypairArgs {
    /// Whether errors are printed as JSON.
    pub fn json(&self) -> bool {
        match self {
            KeypairArgs::New { json, .. } | KeypairArgs::Import { json, .. } => *json,
        }
    }
}

/// Arguments of `keys`.
#[derive(Debug, clap::Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    command: Option<KeysCommand>,
    /// Only this client's keys.
    #[arg(long)]
    client: Option<String>,
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Delete a pending key or vendor identity, from the keychain too.
    Remove {
        /// Its id (see `tokenkeeper keys`).
        uid: String,
        /// Confirm the removal.
        #[arg(long)]
        yes: bool,
    },
}

fn print_json(value: &impl serde::Serialize) {
    let _ = writeln!(
        std::io::stdout().lock(),
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// Runs `keypair`.
pub fn keypair(args: &KeypairArgs, vault: &mut Vault) -> Result<(), Error> {
    match args {
        KeypairArgs::New {
            client,
            common_name,
            out,
            json,
        } => {
            let record = vault.save_ade_key(client, common_name.as_deref(), out, Utc::now())?;
            if *json {
                print_json(&serde_json::json!({
                    "key": record,
                    "certificate": out.display().to_string(),
                }));
                return Ok(());
            }
            let client = vault.client(client)?;
            let _ = writeln!(
                std::io::stdout().lock(),
                "Saved the ADE certificate to {} (key {} in the OS keychain).\nUpload it at {}: Preferences > your MDM server > Edit > Upload public key, then download the server token and import it. Any current key of {} stays until a token encrypted to this certificate arrives.",
                out.display(),
                record.uid,
                client.portal.url(),
                client.name
            );
        }
        KeypairArgs::Import {
            file,
            client,
            cert,
            password,
            json,
        } => {
            let key = Zeroizing::new(read_file(file)?);
            let certificate = match cert {
                Some(path) => read_file(path)?,
                None => Vec::new(),
            };
            let password = if password.given() {
                Some(password.read("password of the key", false)?)
            } else {
                None
            };
            let record = {
                use secrecy::ExposeSecret;
                let attempt = |vault: &mut Vault, p: Option<&str>| {
                    vault.import_ade_key(client, &key, p, &certificate, Utc::now())
                };
                match (
                    attempt(vault, password.as_ref().map(|p| p.expose_secret())),
                    &password,
                ) {
                    // Protected and no password named: ask for it.
                    (Err(Error::KeyRequired { .. }), None) => {
                        let typed = crate::secret::PasswordArgs::default()
                            .read("password of the key", false)?;
                        attempt(vault, Some(typed.expose_secret()))?
                    }
                    (result, _) => result?,
                }
            };
            if *json {
                print_json(&record);
                return Ok(());
            }
            let _ = writeln!(
                std::io::stdout().lock(),
                "Kept the ADE key of {} in the OS keychain (key {}, {}); import the client's server tokens and TokenKeeper decrypts them with it.",
                record.client.as_deref().unwrap_or_default(),
                record.uid,
                record.subject
            );
        }
    }
    Ok(())
}

/// Runs `keys`.
pub fn keys(args: &KeysArgs, vault: &mut Vault) -> Result<(), Error> {
    if let Some(KeysCommand::Remove { uid, yes }) = &args.command {
        if !yes {
            return Err(Error::InvalidInput {
                message: format!(
                    "removing key {uid} deletes its private key from the keychain for good: add --yes to confirm"
                ),
            });
        }
        vault.remove_key(uid, Utc::now())?;
        let _ = writeln!(std::io::stdout().lock(), "Removed key {uid}.");
        return Ok(());
    }
    let keys = vault.keys(args.client.as_deref())?;
    if args.json {
        print_json(&keys);
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    if keys.is_empty() {
        let _ = writeln!(
            out,
            "No pending keys: `tokenkeeper csr` and `tokenkeeper keypair new` make them."
        );
    }
    for k in &keys {
        let _ = writeln!(out, "{}", describe(k));
    }
    Ok(())
}

fn describe(k: &KeyRecord) -> String {
    let what = match k.purpose {
        KeyPurpose::PushCsr => "push CSR key, waiting for its APNs certificate",
        KeyPurpose::Ade => "ADE key, waiting for a token encrypted to it",
        KeyPurpose::Vendor => "MDM vendor identity",
    };
    format!(
        "{}  {:<24} {:<26} {} ({})",
        k.uid,
        k.client.as_deref().unwrap_or("-"),
        k.label,
        what,
        k.subject
    )
}

/// A file-name friendly form of a client's name.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}
