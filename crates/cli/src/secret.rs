//! Passwords and passphrases typed by the user, and files that hold key material. A password
//! never comes from the command line itself (other users can read it in the process list): it
//! is read from a file, an environment variable, the terminal (without echo) or standard input.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use tokenkeeper_core::Error;
use zeroize::Zeroizing;

/// Where a password comes from, when not typed at the terminal.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PasswordArgs {
    /// Read the password from the first line of this file.
    #[arg(long, value_name = "FILE", conflicts_with = "password_env")]
    pub password_file: Option<PathBuf>,
    /// Read the password from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
}

/// Where a backup passphrase comes from, when not typed at the terminal.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PassphraseArgs {
    /// Read the passphrase from the first line of this file.
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_env")]
    pub passphrase_file: Option<PathBuf>,
    /// Read the passphrase from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
}

impl PasswordArgs {
    /// Whether a source was named (else the password is typed or piped).
    pub fn given(&self) -> bool {
        self.password_file.is_some() || self.password_env.is_some()
    }

    /// Reads the password (asking twice at a terminal when `confirm`).
    pub fn read(&self, what: &str, confirm: bool) -> Result<SecretString, Error> {
        read(
            what,
            self.password_file.as_deref(),
            self.password_env.as_deref(),
            confirm,
        )
    }
}

impl PassphraseArgs {
    /// Reads the passphrase (asking twice at a terminal when `confirm`).
    pub fn read(&self, what: &str, confirm: bool) -> Result<SecretString, Error> {
        read(
            what,
            self.passphrase_file.as_deref(),
            self.passphrase_env.as_deref(),
            confirm,
        )
    }
}

fn read(
    what: &str,
    file: Option<&Path>,
    env: Option<&str>,
    confirm: bool,
) -> Result<SecretString, Error> {
    let value = if let Some(path) = file {
        let text = Zeroizing::new(crate::read_file(path)?);
        let text = String::from_utf8_lossy(&text);
        Zeroizing::new(text.lines().next().unwrap_or_default().to_owned())
    } else if let Some(var) = env {
        Zeroizing::new(std::env::var(var).map_err(|_| Error::InvalidInput {
            message: format!("the environment variable {var} (the {what}) is not set"),
        })?)
    } else if std::io::stdin().is_terminal() {
        let first = Zeroizing::new(prompt(&format!("{what}: "))?);
        if confirm {
            let again = Zeroizing::new(prompt(&format!("{what} again: "))?);
            if *again != *first {
                return Err(Error::InvalidInput {
                    message: format!("the two {what}s typed differ: nothing was written"),
                });
            }
        }
        first
    } else {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|source| Error::Io {
                path: "standard input".to_owned(),
                source,
            })?;
        Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned())
    };
    if value.is_empty() {
        return Err(Error::InvalidInput {
            message: format!("the {what} is empty"),
        });
    }
    Ok(SecretString::from(value.as_str()))
}

fn prompt(text: &str) -> Result<String, Error> {
    rpassword::prompt_password(text).map_err(|source| Error::Io {
        path: "terminal".to_owned(),
        source,
    })
}

/// An MDM connection's API secret: `TOKENKEEPER_MDM_SECRET`, else typed (or piped).
pub fn mdm_secret(what: &str) -> Result<SecretString, Error> {
    const VAR: &str = "TOKENKEEPER_MDM_SECRET";
    let env = std::env::var_os(VAR).is_some().then_some(VAR);
    read(what, None, env, false)
}
