//! Delivery against real servers on 127.0.0.1: webhook receivers that record what they get and
//! answer 500, 429 with Retry-After, hang, or present a certificate nobody trusts; a real SMTP
//! server (aiosmtpd) with STARTTLS or TLS from a test CA and a required sign-in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod http;
mod smtp;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use tokenkeeper_core::db::Db;
use tokenkeeper_core::secrets::{MemoryStore, SecretStore};
use tokenkeeper_core::testing::ContentTokenSpec;
use tokenkeeper_core::vault::{
    ChannelKind, ChannelSecret, ChannelSettings, ChannelSpec, ClientAlerting, Confirmation,
    ImportRequest,
};
use tokenkeeper_core::{Portal, Vault};
use zeroize::Zeroizing;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 4, 9, 0, 0)
        .single()
        .expect("date")
}

/// Forwards to a shared store, so a second vault (a restart) sees the same secrets.
pub struct Shared(pub Arc<dyn SecretStore>);

impl SecretStore for Shared {
    fn put(&self, a: &str, s: &[u8]) -> tokenkeeper_core::Result<()> {
        self.0.put(a, s)
    }
    fn get(&self, a: &str) -> tokenkeeper_core::Result<Option<Zeroizing<Vec<u8>>>> {
        self.0.get(a)
    }
    fn delete(&self, a: &str) -> tokenkeeper_core::Result<()> {
        self.0.delete(a)
    }
}

pub struct Setup {
    pub dir: tempfile::TempDir,
    pub store: Arc<dyn SecretStore>,
}

impl Setup {
    /// A vault with client Acme (contact it@acme.example) and one token 10 days from expiry.
    pub fn new() -> (Self, Vault) {
        let s = Self {
            dir: tempfile::tempdir().expect("dir"),
            store: Arc::new(MemoryStore::new()),
        };
        let mut v = s.vault();
        let then = now() - Duration::days(400);
        v.add_client("Acme", Portal::Business, "", then)
            .expect("client");
        v.set_client_alerting(
            "Acme",
            &ClientAlerting {
                warn_days: None,
                contact_email: Some("it@acme.example".to_owned()),
            },
            then,
        )
        .expect("contact");
        let req = ImportRequest {
            client: "Acme".to_owned(),
            bytes: ContentTokenSpec::new("Acme Inc", now() + Duration::days(10)).build(),
            label: Some("Main Street".to_owned()),
            ..ImportRequest::default()
        };
        let yes = Confirmation {
            confirmed: true,
            accept_new_identity: false,
        };
        v.import(&req, yes, then).expect("import");
        (s, v)
    }

    pub fn vault(&self) -> Vault {
        Vault::new(
            Db::open(&self.dir.path().join("tk.db")).expect("db"),
            Box::new(Shared(self.store.clone())),
        )
    }

    pub fn db_files(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for f in ["tk.db", "tk.db-wal"] {
            all.extend(std::fs::read(self.dir.path().join(f)).unwrap_or_default());
        }
        all
    }
}

pub fn webhook_channel(
    v: &mut Vault,
    name: &str,
    kind: ChannelKind,
    url: &str,
    key: Option<&str>,
    ca_file: Option<&Path>,
) {
    let spec = ChannelSpec {
        name: name.to_owned(),
        kind,
        settings: ChannelSettings {
            ca_file: ca_file.map(|p| p.display().to_string()),
            ..ChannelSettings::default()
        },
        clients: None,
    };
    let secret = ChannelSecret {
        url: Some(Zeroizing::new(url.to_owned())),
        password: None,
        signing_key: key.map(|k| Zeroizing::new(k.to_owned())),
    };
    v.add_channel(&spec, &secret, now()).expect("channel");
}

/// A test CA and a server certificate for 127.0.0.1 and localhost it signed, plus a
/// self-signed one nobody trusts, made with the openssl command line.
pub struct Pki {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
    pub untrusted_cert: PathBuf,
    pub untrusted_key: PathBuf,
}

pub fn pki(dir: &Path) -> Pki {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .expect("ext");
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=TokenKeeper Test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    ]);
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "rogue.key",
        "-out",
        "rogue.pem",
        "-days",
        "2",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
    ]);
    Pki {
        ca: dir.join("ca.pem"),
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
        untrusted_cert: dir.join("rogue.pem"),
        untrusted_key: dir.join("rogue.key"),
    }
}

/// A clock that starts at [`now`] and moves when told.
pub struct Clock(std::cell::Cell<DateTime<Utc>>);

impl Clock {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self(std::cell::Cell::new(now()))
    }
    pub fn at(&self) -> DateTime<Utc> {
        self.0.get()
    }
    pub fn advance(&self, d: Duration) {
        self.0.set(self.0.get() + d);
    }
}
