//! Fixture builders (feature `test-support`): key pairs, a test CA issuing push certificates with a
//! chosen topic and dates, ABM-style recipient certificates, server tokens encrypted in every
//! layout, encoding and cipher TokenKeeper reads, and content tokens. Nothing here is used by the
//! app; tests and benchmarks mint what they need instead of committing real customer files.
#![allow(missing_docs, clippy::missing_panics_doc)]
#![allow(clippy::expect_used)]

mod ber_writer;
pub mod fake_apple;
mod server_token;

pub use server_token::{Encoding, Layout, SECRET_MARKERS, ServerTokenSpec};

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::rand::rand_bytes;
use openssl::rsa::Rsa;
use openssl::x509::{X509, X509Builder, X509Name, X509NameBuilder};

use crate::token::PrivateKey;

/// An RSA key pair for tests.
pub struct KeyPair {
    pub pkey: PKey<Private>,
}

impl KeyPair {
    /// A fresh RSA-2048 key pair.
    pub fn generate() -> Self {
        let rsa = Rsa::generate(2048).expect("RSA key generation");
        Self {
            pkey: PKey::from_rsa(rsa).expect("wrap RSA key"),
        }
    }

    /// One of a few RSA-2048 key pairs generated once per process (key generation is slow).
    pub fn shared(index: usize) -> &'static KeyPair {
        static KEYS: [OnceLock<KeyPair>; 4] = [const { OnceLock::new() }; 4];
        KEYS[index % KEYS.len()].get_or_init(KeyPair::generate)
    }

    /// A key pair read from PEM (PKCS#1 or PKCS#8), such as a key TokenKeeper kept.
    pub fn from_pem(pem: &[u8]) -> Self {
        Self {
            pkey: PKey::private_key_from_pem(pem).expect("a PEM private key"),
        }
    }

    /// A `.p12` holding `cert` and this key, protected by `password` (an MDM vendor identity).
    pub fn pkcs12(&self, cert: &X509, password: &str) -> Vec<u8> {
        let mut builder = openssl::pkcs12::Pkcs12::builder();
        builder.name("vendor").pkey(&self.pkey).cert(cert);
        builder
            .build2(password)
            .and_then(|p| p.to_der())
            .expect("PKCS#12")
    }

    /// The key as the core's [`PrivateKey`].
    pub fn private_key(&self) -> PrivateKey {
        PrivateKey::from_pkey(self.pkey.clone())
    }

    /// `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1).
    pub fn pkcs1_pem(&self) -> Vec<u8> {
        self.pkey
            .rsa()
            .expect("rsa")
            .private_key_to_pem()
            .expect("pem")
    }

    /// `-----BEGIN PRIVATE KEY-----` (PKCS#8).
    pub fn pkcs8_pem(&self) -> Vec<u8> {
        self.pkey.private_key_to_pem_pkcs8().expect("pem")
    }

    /// PKCS#1 DER.
    pub fn pkcs1_der(&self) -> Vec<u8> {
        self.pkey
            .rsa()
            .expect("rsa")
            .private_key_to_der()
            .expect("der")
    }

    /// PKCS#8 DER.
    pub fn pkcs8_der(&self) -> Vec<u8> {
        let pem = String::from_utf8(self.pkcs8_pem()).expect("pem is text");
        crate::token::pem::blocks(&pem)
            .remove(0)
            .der
            .expect("pkcs8 der")
    }
}

fn asn1_time(t: DateTime<Utc>) -> Asn1Time {
    Asn1Time::from_unix(t.timestamp()).expect("time in range")
}

fn serial(n: u64) -> Asn1Integer {
    BigNum::from_dec_str(&n.to_string())
        .and_then(|bn| bn.to_asn1_integer())
        .expect("serial")
}

/// A certificate authority standing in for Apple's intermediate.
pub struct TestCa {
    pub key: &'static KeyPair,
    pub cert: X509,
}

impl TestCa {
    /// A CA named like Apple's: "Apple Application Integration 2 Certification Authority".
    pub fn new() -> Self {
        Self::named("Apple Application Integration 2 Certification Authority")
    }

    /// A CA with the given common name.
    pub fn named(cn: &str) -> Self {
        let key = KeyPair::shared(3);
        let mut name = X509NameBuilder::new().expect("name");
        name.append_entry_by_nid(Nid::COMMONNAME, cn).expect("cn");
        name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "Apple Inc.")
            .expect("o");
        name.append_entry_by_nid(Nid::COUNTRYNAME, "US").expect("c");
        let name = name.build();
        let mut b = X509Builder::new().expect("builder");
        b.set_version(2).expect("version");
        b.set_serial_number(&serial(1)).expect("serial");
        b.set_subject_name(&name).expect("subject");
        b.set_issuer_name(&name).expect("issuer");
        b.set_pubkey(&key.pkey).expect("pubkey");
        let now = Utc::now();
        b.set_not_before(&asn1_time(now - Duration::days(3650)))
            .expect("nb");
        b.set_not_after(&asn1_time(now + Duration::days(3650)))
            .expect("na");
        b.sign(&key.pkey, MessageDigest::sha256()).expect("sign");
        Self {
            key,
            cert: b.build(),
        }
    }
}

impl Default for TestCa {
    fn default() -> Self {
        Self::new()
    }
}

/// ASN.1 string type used for the UID attribute.
#[derive(Debug, Clone, Copy)]
pub enum UidType {
    Utf8,
    Printable,
    Ia5,
}

/// What a minted push certificate looks like.
#[derive(Debug, Clone)]
pub struct PushCertificateSpec {
    /// The UID; `None` leaves it out (not a push certificate).
    pub uid: Option<String>,
    pub uid_type: UidType,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub serial: u64,
}

impl PushCertificateSpec {
    /// A one-year certificate for `topic`, issued now.
    pub fn new(topic: &str) -> Self {
        let now = Utc::now();
        Self {
            uid: Some(topic.to_owned()),
            uid_type: UidType::Utf8,
            not_before: now - Duration::days(1),
            not_after: now + Duration::days(364),
            serial: 0x5e_ed_c0_de,
        }
    }

    /// Sets the expiry.
    pub fn expiring(mut self, not_after: DateTime<Utc>) -> Self {
        self.not_before = not_after - Duration::days(365);
        self.not_after = not_after;
        self
    }

    /// Issues the certificate for `key` from `ca`.
    pub fn issue(&self, ca: &TestCa, key: &KeyPair) -> X509 {
        let mut name = X509NameBuilder::new().expect("name");
        if let Some(uid) = &self.uid {
            let ty = match self.uid_type {
                UidType::Utf8 => openssl::asn1::Asn1Type::UTF8STRING,
                UidType::Printable => openssl::asn1::Asn1Type::PRINTABLESTRING,
                UidType::Ia5 => openssl::asn1::Asn1Type::IA5STRING,
            };
            name.append_entry_by_nid_with_type(Nid::USERID, uid, ty)
                .expect("uid");
        }
        let uuid = self
            .uid
            .as_deref()
            .and_then(|u| u.rsplit('.').next())
            .unwrap_or("00000000-0000-0000-0000-000000000000");
        name.append_entry_by_nid(Nid::COMMONNAME, &format!("APSP:{uuid}"))
            .expect("cn");
        name.append_entry_by_nid(Nid::COUNTRYNAME, "US").expect("c");
        let name = name.build();
        let mut b = X509Builder::new().expect("builder");
        b.set_version(2).expect("version");
        b.set_serial_number(&serial(self.serial)).expect("serial");
        b.set_subject_name(&name).expect("subject");
        b.set_issuer_name(ca.cert.subject_name()).expect("issuer");
        b.set_pubkey(&key.pkey).expect("pubkey");
        b.set_not_before(&asn1_time(self.not_before)).expect("nb");
        b.set_not_after(&asn1_time(self.not_after)).expect("na");
        b.sign(&ca.key.pkey, MessageDigest::sha256()).expect("sign");
        b.build()
    }
}

/// The certificate an MDM uploads to its server entry in ABM: self-signed, long validity.
pub fn abm_certificate(key: &KeyPair, cn: &str, serial_number: u64) -> X509 {
    let mut name = X509NameBuilder::new().expect("name");
    name.append_entry_by_nid(Nid::COUNTRYNAME, "DE").expect("c");
    name.append_entry_by_nid(Nid::ORGANIZATIONALUNITNAME, "TokenKeeper tests")
        .expect("ou");
    name.append_entry_by_nid(Nid::COMMONNAME, cn).expect("cn");
    let name: X509Name = name.build();
    let mut b = X509Builder::new().expect("builder");
    b.set_version(2).expect("version");
    b.set_serial_number(&serial(serial_number)).expect("serial");
    b.set_subject_name(&name).expect("subject");
    b.set_issuer_name(&name).expect("issuer");
    b.set_pubkey(&key.pkey).expect("pubkey");
    let now = Utc::now();
    b.set_not_before(&asn1_time(now - Duration::days(1)))
        .expect("nb");
    b.set_not_after(&asn1_time(now + Duration::days(3650)))
        .expect("na");
    b.sign(&key.pkey, MessageDigest::sha256()).expect("sign");
    b.build()
}

/// What a minted Apps and Books token holds and how it is written.
#[derive(Debug, Clone)]
pub struct ContentTokenSpec {
    pub token: String,
    /// `expDate` exactly as written in the JSON.
    pub exp_date: String,
    pub org_name: String,
    pub url_safe: bool,
    /// Appended after the base64 (`"\n"`, `"\r\n"`, `"  "`).
    pub trailing: String,
}

/// The opaque token value minted into test content tokens, to prove it never leaks.
pub const CONTENT_SECRET_MARKER: &str = "VPP_SECRET_3c9d0e1f2a4b";

impl ContentTokenSpec {
    /// A token for `org_name` expiring at `expires_at` (written with `Z`).
    pub fn new(org_name: &str, expires_at: DateTime<Utc>) -> Self {
        Self {
            token: format!("{CONTENT_SECRET_MARKER}{}", org_name.len()),
            exp_date: expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            org_name: org_name.to_owned(),
            url_safe: false,
            trailing: String::new(),
        }
    }

    /// The file's bytes.
    pub fn build(&self) -> Vec<u8> {
        let json = serde_json::json!({
            "token": self.token,
            "expDate": self.exp_date,
            "orgName": self.org_name,
        })
        .to_string();
        let mut out = if self.url_safe {
            URL_SAFE_NO_PAD.encode(json)
        } else {
            STANDARD.encode(json)
        };
        out.push_str(&self.trailing);
        out.into_bytes()
    }
}

/// A certificate read from PEM (one TokenKeeper saved, say).
pub fn x509(pem: &[u8]) -> X509 {
    X509::from_pem(pem).expect("a PEM certificate")
}

/// A certificate as PEM bytes.
pub fn pem(cert: &X509) -> Vec<u8> {
    cert.to_pem().expect("pem")
}

/// A certificate as DER bytes.
pub fn der(cert: &X509) -> Vec<u8> {
    cert.to_der().expect("der")
}

/// A fresh random topic `com.apple.mgmt.External.<uuid>`.
pub fn random_topic() -> String {
    let mut b = [0u8; 16];
    rand_bytes(&mut b).expect("rand");
    let h = crate::token::hex(&b);
    format!(
        "com.apple.mgmt.External.{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Path of a real-world sample under `shared/fixtures/external/` (kept outside the repository,
/// beside the clone). Set `TOKENKEEPER_EXTERNAL_FIXTURES` to point elsewhere.
pub fn external_fixture(rel: &str) -> std::path::PathBuf {
    if let Ok(dir) = std::env::var("TOKENKEEPER_EXTERNAL_FIXTURES") {
        return std::path::Path::new(&dir).join(rel);
    }
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|a| a.join("shared/fixtures/external"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "shared/fixtures/external not found above {}: set TOKENKEEPER_EXTERNAL_FIXTURES",
                manifest.display()
            )
        })
        .join(rel)
}
