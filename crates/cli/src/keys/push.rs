//! The APNs side: `csr` (a CSR whose key stays in the keychain), `vendor add` (an MDM vendor
//! identity) and `push-request` (the vendor-signed request to upload to Apple's portal).

use std::io::Write;
use std::path::PathBuf;

use chrono::Utc;
use clap::Subcommand;
use tokenkeeper_core::vault::{SIGNING_EXPLANATION, chain_pem};
use tokenkeeper_core::{Error, Kind, Vault};
use zeroize::Zeroizing;

use super::{print_json, slug};
use crate::read_file;
use crate::secret::PasswordArgs;

/// Arguments of `csr`.
#[derive(Debug, clap::Args)]
pub struct CsrArgs {
    /// The client the APNs certificate is for.
    #[arg(long)]
    client: String,
    /// The requester's e-mail address (in the CSR's subject).
    #[arg(long)]
    email: String,
    /// Two-letter country code (in the CSR's subject), such as US or DE.
    #[arg(long)]
    country: String,
    /// Common name in the CSR's subject (default: the client's name).
    #[arg(long, value_name = "NAME")]
    common_name: Option<String>,
    /// Where to save the CSR (PEM).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `push-request`.
#[derive(Debug, clap::Args)]
pub struct PushRequestArgs {
    /// The client whose pending CSR is signed.
    #[arg(long)]
    client: String,
    /// Which pending CSR (its key id; default: the client's newest).
    #[arg(long, value_name = "KEY")]
    key: Option<String>,
    /// Which MDM vendor identity signs (its label; default: the only one).
    #[arg(long, value_name = "LABEL")]
    vendor: Option<String>,
    /// Where to save the signed request (upload it at identity.apple.com).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `vendor` subcommands.
#[derive(Debug, Subcommand)]
pub enum VendorArgs {
    /// Keep an MDM vendor identity (.p12 with its password) in the keychain, to sign push CSRs.
    Add {
        /// The .p12 holding the MDM vendor certificate and its key.
        file: PathBuf,
        /// A name for it (default: the certificate's subject).
        #[arg(long)]
        label: Option<String>,
        /// Certificates the .p12 lacks: Apple's WWDR intermediate and Apple's root (PEM or DER).
        #[arg(long, value_name = "FILE")]
        chain: Vec<PathBuf>,
        #[command(flatten)]
        password: PasswordArgs,
    },
}

/// Runs `csr`.
pub fn csr(args: &CsrArgs, vault: &mut Vault) -> Result<(), Error> {
    let saved = vault.save_push_csr(
        &args.client,
        args.common_name.as_deref(),
        &args.country,
        &args.email,
        &args.out,
        Utc::now(),
    )?;
    let client = vault.client(&args.client)?;
    let record = &saved.key;
    if args.json {
        print_json(&serde_json::json!({
            "key": record,
            "csr": args.out.display().to_string(),
            "vendor_available": saved.vendor_available,
            "explanation": saved.explanation,
        }));
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Saved the push CSR for {} to {} ({}).\nIts RSA-2048 private key is in the OS keychain (key {}); TokenKeeper attaches it to the certificate when you import the .pem.",
        client.name,
        args.out.display(),
        record.subject,
        record.uid
    );
    if saved.vendor_available {
        let _ = writeln!(
            out,
            "Sign it for the portal: tokenkeeper push-request --client \"{}\" --out {}_push_request.b64",
            client.name,
            slug(&client.name)
        );
    } else {
        let _ = writeln!(out, "\n{SIGNING_EXPLANATION}");
        let _ = writeln!(
            out,
            "To add an MDM vendor certificate: tokenkeeper vendor add VENDOR.p12"
        );
    }
    Ok(())
}

/// Runs `push-request`.
pub fn push_request(args: &PushRequestArgs, vault: &Vault) -> Result<(), Error> {
    let request = vault.save_push_request(
        &args.client,
        args.key.as_deref(),
        args.vendor.as_deref(),
        &args.out,
    )?;
    if !request.chain_complete {
        eprintln!(
            "warning: the vendor certificate chain does not reach Apple's root: the portal may refuse the request; add Apple's WWDR intermediate and root certificates with `tokenkeeper vendor add FILE.p12 --chain CERT`"
        );
    }
    if args.json {
        print_json(&serde_json::json!({
            "request": args.out.display().to_string(),
            "key": request.key_uid,
            "vendor": request.vendor,
            "chain_complete": request.chain_complete,
        }));
        return Ok(());
    }
    let client = vault.client(&args.client)?;
    let current = vault
        .summaries(Utc::now())?
        .into_iter()
        .find(|s| s.kind == Kind::PushCertificate && s.client == client.name);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "Saved the signed push request to {} (signed by \"{}\").",
        args.out.display(),
        request.vendor
    );
    let _ = match current {
        Some(c) => writeln!(
            out,
            "At identity.apple.com, signed in with {}, Renew the certificate whose topic is {} (never Create: a new topic makes every device re-enroll) and upload this file; then import the .pem you download.",
            c.apple_account
                .as_deref()
                .unwrap_or("the Apple Account that created it"),
            c.identity
        ),
        None => writeln!(
            out,
            "At identity.apple.com, Create a Certificate, upload this file, then import the .pem you download; record the Apple Account you used (--apple-account)."
        ),
    };
    Ok(())
}

/// Runs `vendor`.
pub fn vendor(args: &VendorArgs, vault: &mut Vault) -> Result<(), Error> {
    let VendorArgs::Add {
        file,
        label,
        chain,
        password,
    } = args;
    let p12 = Zeroizing::new(read_file(file)?);
    let chain = chain
        .iter()
        .map(|p| Ok((p.display().to_string(), read_file(p)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    let extra = chain_pem(&chain)?;
    let password = password.read("password of the .p12", false)?;
    let record = {
        use secrecy::ExposeSecret;
        vault.add_vendor(
            label.as_deref(),
            &p12,
            password.expose_secret(),
            &extra,
            Utc::now(),
        )?
    };
    let _ = writeln!(
        std::io::stdout().lock(),
        "Kept the MDM vendor identity \"{}\" ({}) in the OS keychain; `tokenkeeper push-request` signs CSRs with it.",
        record.label,
        record.subject
    );
    Ok(())
}
