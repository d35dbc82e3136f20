//! `tokenkeeper cert-export`: a client's APNs push certificate with its private key, for the MDM
//! that imports them: a password-protected PKCS#12, or a PEM bundle. (The credential list export
//! is `tokenkeeper export`.)

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use tokenkeeper_core::vault::{CertExport, CertFormat};
use tokenkeeper_core::{Error, Vault};

use crate::secret::PasswordArgs;

/// Arguments of `cert-export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The client whose APNs certificate is exported.
    #[arg(long)]
    client: String,
    /// Which certificate, when the client has several (its label).
    #[arg(long)]
    label: Option<String>,
    /// p12 (password-protected PKCS#12) or pem (certificate and unencrypted key).
    #[arg(long, value_parser = ["p12", "pem"], default_value = "p12")]
    format: String,
    /// PKCS#12 with 3DES and SHA-1 for MDMs that refuse the modern (AES) file.
    #[arg(long)]
    legacy: bool,
    /// Where to write it (readable by you only).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    password: PasswordArgs,
}

/// Runs `cert-export`.
pub fn run(args: &Args, vault: &mut Vault) -> Result<(), Error> {
    let format = match (args.format.as_str(), args.legacy) {
        ("pem", _) => CertFormat::Pem,
        (_, true) => CertFormat::P12Legacy,
        (_, false) => CertFormat::P12,
    };
    let password = match format {
        CertFormat::Pem => None,
        _ => Some(args.password.read("export password", true)?),
    };
    let format = {
        use secrecy::ExposeSecret;
        CertExport::for_format(format, password.as_ref().map(|p| p.expose_secret()))?
    };
    let label = args.label.as_deref();
    vault.save_cert_export(&args.client, label, &format, &args.out, Utc::now())?;
    let what = match format {
        CertExport::Pem => {
            "certificate and unencrypted private key (PEM): import it into the MDM, then delete the file"
        }
        CertExport::Pkcs12 { .. } => {
            "certificate and private key as a password-protected PKCS#12: import it into the MDM with that password"
        }
    };
    let _ = writeln!(
        std::io::stdout().lock(),
        "Wrote {} to {}.",
        what,
        args.out.display()
    );
    Ok(())
}
