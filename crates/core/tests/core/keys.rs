//! Keys TokenKeeper makes and keeps, checked with the `openssl` command as the other side: push
//! CSRs verify, vendor signatures verify against the vendor certificate, PKCS#12 exports open
//! and hold the certificate's key, ADE key pairs decrypt tokens `openssl smime` encrypted to
//! their certificate, rotation retires the old key only when the new one is used, and a backup
//! restored on a fresh database and keychain gives back everything. No key material reaches the
//! database, the audit log or any file but the exports asked for.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use super::Shared;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Duration, TimeZone, Utc};
use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::{PKey, Private};
use openssl::stack::Stack;
use openssl::x509::{X509, X509Builder, X509NameBuilder};
use secrecy::SecretString;
use tokenkeeper_core::pki::csr::CsrSubject;
use tokenkeeper_core::pki::pkcs12::Protection;
use tokenkeeper_core::secrets::SecretStore;
use tokenkeeper_core::testing::{
    CONTENT_SECRET_MARKER, ContentTokenSpec, KeyPair, PushCertificateSpec, SECRET_MARKERS,
    ServerTokenSpec, TestCa, external_fixture, pem, random_topic,
};
use tokenkeeper_core::vault::{
    CertExport, Confirmation, ImportRequest, KeyPurpose, KeyRecord, RestoreOptions,
};
use tokenkeeper_core::{Keychain, Portal, Vault};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap()
}

struct Env {
    dir: tempfile::TempDir,
    vault: Vault,
    secrets: Arc<dyn SecretStore>,
}

impl Env {
    fn new() -> Self {
        Self::with_store(super::keychain_store())
    }

    fn with_store(secrets: Arc<dyn SecretStore>) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let vault = Vault::new(
            crate::open_db(&dir.path().join("tk.db")).unwrap(),
            Box::new(Shared(secrets.clone())),
        );
        Self {
            dir,
            vault,
            secrets,
        }
    }

    fn client(&mut self, name: &str) {
        self.vault
            .add_client(name, Portal::Business, "", now())
            .unwrap();
    }

    fn import(&mut self, client: &str, bytes: Vec<u8>) -> tokenkeeper_core::vault::ImportOutcome {
        self.vault
            .import(
                &ImportRequest {
                    client: client.to_owned(),
                    bytes,
                    ..Default::default()
                },
                Confirmation::default(),
                now(),
            )
            .unwrap()
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// The private key the vault keeps for a key record (tests may look).
    fn key_of(&self, record: &KeyRecord) -> PKey<Private> {
        let pem = self
            .secrets
            .get(&format!("{}/key", record.uid))
            .unwrap()
            .expect("key in the keychain");
        PKey::private_key_from_pem(&pem).unwrap()
    }

    /// The database file with its WAL, as bytes.
    fn db_bytes(&self) -> Vec<u8> {
        crate::backend::stored_bytes(&self.path("tk.db"))
    }
}

fn subject() -> CsrSubject {
    CsrSubject::new("Acme MDM", "DE", "it@acme.example").unwrap()
}

/// Runs openssl; returns stdout + stderr, panicking with both when it fails.
fn openssl(args: &[&str]) -> String {
    let out = Command::new("openssl").args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "openssl {args:?} failed: {text}");
    text
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The secret parts of an RSA key (private exponent and primes): what must never leak. The
/// modulus is public (it is in every CSR and certificate).
fn private_parts(key: &PKey<Private>) -> Vec<Vec<u8>> {
    let rsa = key.rsa().unwrap();
    vec![
        rsa.d().to_vec(),
        rsa.p().unwrap().to_vec(),
        rsa.q().unwrap().to_vec(),
    ]
}

fn assert_absent(haystack: &[u8], key: &PKey<Private>, what: &str) {
    for part in private_parts(key) {
        assert!(
            !haystack.windows(part.len()).any(|w| w == part.as_slice()),
            "private key material found in {what}"
        );
    }
    let pem = key.private_key_to_pem_pkcs8().unwrap();
    let body = String::from_utf8(pem).unwrap();
    let line = body.lines().nth(3).unwrap();
    assert!(
        !haystack.windows(line.len()).any(|w| w == line.as_bytes()),
        "PEM of a private key found in {what}"
    );
}

/// A push certificate for the key TokenKeeper made with its CSR.
fn push_cert_for(key: &PKey<Private>, topic: &str, expires: DateTime<Utc>) -> Vec<u8> {
    let pair = KeyPair { pkey: key.clone() };
    pem(&PushCertificateSpec::new(topic)
        .expiring(expires)
        .issue(&TestCa::new(), &pair))
}

#[test]
fn push_csr_verifies_with_openssl_and_its_key_stays_in_the_keychain() {
    let mut env = Env::new();
    env.client("Acme");
    let (record, csr) = env
        .vault
        .create_push_csr("acme", &subject(), now())
        .unwrap();
    assert_eq!(record.purpose, KeyPurpose::PushCsr);
    assert_eq!(record.client.as_deref(), Some("Acme"));
    let file = env.write("acme.csr", csr.to_pem().as_bytes());
    let verified = openssl(&["req", "-in", p(&file), "-verify", "-noout"]);
    assert!(verified.contains("verify OK"), "{verified}");
    let text = openssl(&["req", "-in", p(&file), "-noout", "-text"]);
    assert!(text.contains("CN = Acme MDM"), "{text}");
    assert!(text.contains("C = DE"), "{text}");
    assert!(text.contains("emailAddress = it@acme.example"), "{text}");
    assert!(text.contains("Public-Key: (2048 bit)"), "{text}");
    assert!(text.contains("sha256WithRSAEncryption"), "{text}");

    let key = env.key_of(&record);
    assert_eq!(key.bits(), 2048);
    assert_eq!(
        env.vault.push_csr(&record.uid).unwrap(),
        csr,
        "the CSR is kept to sign again"
    );
    assert_absent(&env.db_bytes(), &key, "the database");
    assert_absent(&std::fs::read(&file).unwrap(), &key, "the CSR file");
    let events = format!("{:?}", env.vault.events(&Default::default()).unwrap());
    assert!(!events.contains("PRIVATE KEY"), "{events}");
    assert_eq!(env.vault.keys(Some("Acme")).unwrap(), vec![record]);
}

#[test]
fn certificate_for_the_csr_takes_its_key_and_exports_with_openssl() {
    let mut env = Env::new();
    env.client("Acme");
    let (record, _) = env
        .vault
        .create_push_csr("Acme", &subject(), now())
        .unwrap();
    let key = env.key_of(&record);
    let topic = random_topic();
    let cert = push_cert_for(&key, &topic, now() + Duration::days(365));

    let outcome = env.import("Acme", cert);
    assert_eq!(
        outcome.plan.attaches_key.as_deref(),
        Some(record.uid.as_str())
    );
    assert!(!outcome.plan.tracked_only);
    assert!(
        env.vault.keys(None).unwrap().is_empty(),
        "no longer pending"
    );

    let password = SecretString::from("export-pass-1");
    for protection in [Protection::Modern, Protection::Legacy] {
        let p12 = env
            .vault
            .cert_export(
                "Acme",
                None,
                &CertExport::Pkcs12 {
                    password: password.clone(),
                    protection,
                },
                now(),
            )
            .unwrap();
        let file = env.write("acme.p12", &p12);
        let wrong = Command::new("openssl")
            .args(["pkcs12", "-in", p(&file), "-nodes", "-passin", "pass:nope"])
            .output()
            .unwrap();
        assert!(!wrong.status.success(), "the PKCS#12 is password-protected");
        let opened = openssl(&[
            "pkcs12",
            "-in",
            p(&file),
            "-nodes",
            "-passin",
            "pass:export-pass-1",
        ]);
        assert!(opened.contains("BEGIN CERTIFICATE"), "{opened}");
        assert!(opened.contains("BEGIN PRIVATE KEY"), "{opened}");
        let both = env.write("opened.pem", opened.as_bytes());
        let cert_pub = openssl(&["x509", "-in", p(&both), "-noout", "-pubkey"]);
        let key_pub = openssl(&["pkey", "-in", p(&both), "-pubout"]);
        assert_eq!(cert_pub, key_pub, "the exported key is the certificate's");
        let subject = openssl(&["x509", "-in", p(&both), "-noout", "-subject"]);
        assert!(subject.contains(&topic), "{subject}");
    }

    let bundle = env
        .vault
        .cert_export("acme", None, &CertExport::Pem, now())
        .unwrap();
    let file = env.write("bundle.pem", &bundle);
    assert_eq!(
        openssl(&["x509", "-in", p(&file), "-noout", "-pubkey"]),
        openssl(&["pkey", "-in", p(&file), "-pubout"])
    );
    let kinds: Vec<String> = env
        .vault
        .events(&Default::default())
        .unwrap()
        .into_iter()
        .map(|e| e.kind.id().to_owned())
        .collect();
    assert!(kinds.contains(&"key_attached".to_owned()), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "key_exported").count(), 3);
    assert_absent(&env.db_bytes(), &key, "the database");
}

#[test]
fn renewal_keeps_the_previous_key_until_the_new_certificate_is_accepted() {
    let mut env = Env::new();
    env.client("Acme");
    let topic = random_topic();
    let (first, _) = env
        .vault
        .create_push_csr("Acme", &subject(), now())
        .unwrap();
    let first_key = env.key_of(&first);
    env.import(
        "Acme",
        push_cert_for(&first_key, &topic, now() + Duration::days(20)),
    );
    let first_account = format!("{}/key", first.uid);

    let (second, _) = env
        .vault
        .create_push_csr("Acme", &subject(), now())
        .unwrap();
    let second_key = env.key_of(&second);
    // Until the new certificate arrives, the old key still exports with the old certificate.
    let bundle = env
        .vault
        .cert_export("Acme", None, &CertExport::Pem, now())
        .unwrap();
    let file = env.write("old.pem", &bundle);
    assert_eq!(
        openssl(&["x509", "-in", p(&file), "-noout", "-pubkey"]),
        openssl(&["pkey", "-in", p(&file), "-pubout"])
    );
    assert!(env.secrets.get(&first_account).unwrap().is_some());

    // A certificate from another CSR (not TokenKeeper's) is refused: the key on record stays.
    let stranger = push_cert_for(
        &KeyPair::shared(1).pkey,
        &topic,
        now() + Duration::days(380),
    );
    let refused = env
        .vault
        .import(
            &ImportRequest {
                client: "Acme".into(),
                bytes: stranger,
                ..Default::default()
            },
            Confirmation::default(),
            now(),
        )
        .unwrap_err();
    assert_eq!(refused.kind(), "key_mismatch");
    assert!(env.secrets.get(&first_account).unwrap().is_some());

    let renewed = env.import(
        "Acme",
        push_cert_for(&second_key, &topic, now() + Duration::days(385)),
    );
    assert_eq!(renewed.revision, 2);
    assert_eq!(
        renewed.plan.attaches_key.as_deref(),
        Some(second.uid.as_str())
    );
    assert!(
        env.secrets.get(&first_account).unwrap().is_none(),
        "the previous key is retired once the new certificate is accepted"
    );
    let bundle = env
        .vault
        .cert_export("Acme", None, &CertExport::Pem, now())
        .unwrap();
    let exported = PKey::private_key_from_pem(&bundle).unwrap();
    assert!(exported.public_eq(&second_key));
}

#[test]
fn certificate_without_key_is_tracked_only_and_cannot_be_exported() {
    let mut env = Env::new();
    env.client("Hosted");
    let cert =
        pem(&PushCertificateSpec::new(&random_topic()).issue(&TestCa::new(), KeyPair::shared(2)));
    let outcome = env.import("Hosted", cert);
    assert!(outcome.plan.tracked_only);
    assert!(outcome.plan.attaches_key.is_none());
    let e = env
        .vault
        .cert_export("Hosted", None, &CertExport::Pem, now())
        .unwrap_err();
    assert_eq!(e.kind(), "key_required");
    assert!(e.to_string().contains("tracked only"), "{e}");
}

#[test]
fn certificate_for_another_clients_csr_is_refused() {
    let mut env = Env::new();
    env.client("Acme");
    env.client("Globex");
    let (record, _) = env
        .vault
        .create_push_csr("Acme", &subject(), now())
        .unwrap();
    let cert = push_cert_for(
        &env.key_of(&record),
        &random_topic(),
        now() + Duration::days(300),
    );
    let e = env
        .vault
        .import(
            &ImportRequest {
                client: "Globex".into(),
                bytes: cert,
                ..Default::default()
            },
            Confirmation::default(),
            now(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), "key_mismatch");
    assert!(e.to_string().contains("import it for Acme"), "{e}");
}

/// A certificate authority chain standing in for Apple's: root, intermediate, vendor certificate.
struct VendorChain {
    root: X509,
    intermediate: X509,
    vendor: X509,
    vendor_key: PKey<Private>,
}

fn ca_cert(
    cn: &str,
    key: &PKey<Private>,
    issuer: Option<(&X509, &PKey<Private>)>,
    serial: u32,
    is_ca: bool,
) -> X509 {
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
    name.append_entry_by_nid(Nid::ORGANIZATIONNAME, "Test Apple Inc.")
        .unwrap();
    let name = name.build();
    let mut b = X509Builder::new().unwrap();
    b.set_version(2).unwrap();
    b.set_serial_number(&BigNum::from_u32(serial).unwrap().to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(issuer.map_or(&name, |(c, _)| c.subject_name()))
        .unwrap();
    b.set_pubkey(key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(365).unwrap())
        .unwrap();
    if is_ca {
        b.append_extension(
            openssl::x509::extension::BasicConstraints::new()
                .critical()
                .ca()
                .build()
                .unwrap(),
        )
        .unwrap();
    }
    b.sign(issuer.map_or(key, |(_, k)| k), MessageDigest::sha256())
        .unwrap();
    b.build()
}

fn vendor_chain() -> VendorChain {
    let root_key = KeyPair::shared(3).pkey.clone();
    let intermediate_key = KeyPair::shared(2).pkey.clone();
    let vendor_key = KeyPair::shared(1).pkey.clone();
    let root = ca_cert("Test Apple Root CA", &root_key, None, 1, true);
    let intermediate = ca_cert(
        "Test Apple WWDR",
        &intermediate_key,
        Some((&root, &root_key)),
        2,
        true,
    );
    let vendor = ca_cert(
        "MDM Vendor: Example Vendor",
        &vendor_key,
        Some((&intermediate, &intermediate_key)),
        3,
        false,
    );
    VendorChain {
        root,
        intermediate,
        vendor,
        vendor_key,
    }
}

fn p12(chain: &VendorChain, password: &str, with_cas: bool) -> Vec<u8> {
    let mut b = Pkcs12::builder();
    b.name("vendor").pkey(&chain.vendor_key).cert(&chain.vendor);
    if with_cas {
        let mut cas = Stack::new().unwrap();
        cas.push(chain.root.clone()).unwrap();
        cas.push(chain.intermediate.clone()).unwrap();
        b.ca(cas);
    }
    b.build2(password).unwrap().to_der().unwrap()
}

/// The string values of a flat plist dict, by key.
fn plist_value(xml: &str, key: &str) -> String {
    let after = xml
        .split(&format!("<key>{key}</key>"))
        .nth(1)
        .unwrap_or_else(|| panic!("{key} missing from {xml}"));
    let start = after.find("<string>").unwrap() + "<string>".len();
    let end = after.find("</string>").unwrap();
    after[start..end].to_owned()
}

#[test]
fn vendor_signed_request_verifies_against_the_vendor_certificate() {
    let mut env = Env::new();
    env.client("Acme");
    env.vault
        .create_push_csr("Acme", &subject(), now())
        .unwrap();
    let no_vendor = env.vault.push_request("Acme", None, None).unwrap_err();
    assert_eq!(no_vendor.kind(), "vendor_required");
    let message = no_vendor.to_string();
    assert!(
        message.contains("signed by") || message.contains("MDM vendor has signed"),
        "{message}"
    );
    assert!(message.contains("Intune"), "{message}");
    assert!(message.contains("without holding a key"), "{message}");

    let chain = vendor_chain();
    let wrong = env
        .vault
        .add_vendor(
            None,
            &p12(&chain, "vendor-pass", true),
            "not it",
            b"",
            now(),
        )
        .unwrap_err();
    assert_eq!(wrong.kind(), "wrong_password");
    let vendor = env
        .vault
        .add_vendor(
            Some("Example"),
            &p12(&chain, "vendor-pass", true),
            "vendor-pass",
            b"",
            now(),
        )
        .unwrap();
    assert_eq!(vendor.purpose, KeyPurpose::Vendor);
    assert!(
        vendor.subject.contains("MDM Vendor: Example Vendor"),
        "{}",
        vendor.subject
    );
    assert_absent(&env.db_bytes(), &chain.vendor_key, "the database");

    // Newest CSR by default.
    let (latest, csr) = env
        .vault
        .create_push_csr("Acme", &subject(), now() + Duration::seconds(5))
        .unwrap();
    let request = env.vault.push_request("Acme", None, None).unwrap();
    assert_eq!(request.key_uid, latest.uid);
    assert!(request.chain_complete);
    let xml = String::from_utf8(STANDARD.decode(&request.encoded).unwrap()).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<plist version=\"1.0\">"), "{xml}");
    let csr_der = STANDARD
        .decode(plist_value(&xml, "PushCertRequestCSR"))
        .unwrap();
    assert_eq!(csr_der, csr.der);
    let signature = STANDARD
        .decode(plist_value(&xml, "PushCertSignature"))
        .unwrap();
    let chain_pem = plist_value(&xml, "PushCertCertificateChain");
    let certs: Vec<X509> = X509::stack_from_pem(chain_pem.as_bytes()).unwrap();
    assert_eq!(certs.len(), 3, "vendor, intermediate, root");
    assert_eq!(certs[0].to_der().unwrap(), chain.vendor.to_der().unwrap());
    assert_eq!(
        certs[1].to_der().unwrap(),
        chain.intermediate.to_der().unwrap()
    );
    assert_eq!(certs[2].to_der().unwrap(), chain.root.to_der().unwrap());

    let csr_file = env.write("csr.der", &csr_der);
    let sig_file = env.write("csr.sig", &signature);
    let vendor_pem = env.write("vendor.pem", &chain.vendor.to_pem().unwrap());
    let vendor_pub = env.write(
        "vendor_pub.pem",
        openssl(&["x509", "-in", p(&vendor_pem), "-noout", "-pubkey"]).as_bytes(),
    );
    let verified = openssl(&[
        "dgst",
        "-sha256",
        "-verify",
        p(&vendor_pub),
        "-signature",
        p(&sig_file),
        p(&csr_file),
    ]);
    assert!(verified.contains("Verified OK"), "{verified}");
    let csr_req = openssl(&[
        "req",
        "-in",
        p(&csr_file),
        "-inform",
        "DER",
        "-verify",
        "-noout",
    ]);
    assert!(csr_req.contains("verify OK"), "{csr_req}");
}

#[test]
fn vendor_chain_can_come_from_separate_files() {
    let mut env = Env::new();
    env.client("Acme");
    env.vault
        .create_push_csr("Acme", &subject(), now())
        .unwrap();
    let chain = vendor_chain();
    let mut extra = chain.root.to_pem().unwrap();
    extra.extend(chain.intermediate.to_pem().unwrap());
    env.vault
        .add_vendor(None, &p12(&chain, "pw", false), "pw", &extra, now())
        .unwrap();
    let request = env.vault.push_request("Acme", None, None).unwrap();
    assert!(request.chain_complete);

    let mut env = Env::new();
    env.client("Acme");
    env.vault
        .create_push_csr("Acme", &subject(), now())
        .unwrap();
    env.vault
        .add_vendor(None, &p12(&chain, "pw", false), "pw", b"", now())
        .unwrap();
    let request = env.vault.push_request("Acme", None, None).unwrap();
    assert!(
        !request.chain_complete,
        "the vendor certificate alone is no chain"
    );
}

/// Encrypts a server token to `cert_pem` with `openssl smime`, as ABM would.
fn smime_token(env: &Env, spec: &ServerTokenSpec, cert: &[u8], name: &str) -> Vec<u8> {
    let inner = env.write(&format!("{name}.txt"), &spec.message());
    let cert = env.write(&format!("{name}.pem"), cert);
    let out = env.path(&format!("{name}_smime.p7m"));
    openssl(&[
        "smime",
        "-encrypt",
        "-aes128",
        "-binary",
        "-in",
        p(&inner),
        "-out",
        p(&out),
        p(&cert),
    ]);
    std::fs::read(out).unwrap()
}

#[test]
fn ade_key_pair_round_trip_with_openssl_and_rotation() {
    let mut env = Env::new();
    env.client("Acme");
    let (first, cert) = env.vault.create_ade_key("Acme", None, now()).unwrap();
    assert_eq!(first.purpose, KeyPurpose::Ade);
    let cert_pem = tokenkeeper_core::pki::certificate_pem(&cert);
    let file = env.write("abm.pem", cert_pem.as_bytes());
    let text = openssl(&["x509", "-in", p(&file), "-noout", "-text"]);
    assert!(text.contains("Public-Key: (2048 bit)"), "{text}");
    let end = openssl(&["x509", "-in", p(&file), "-noout", "-enddate"]);
    assert!(end.contains("2046"), "long validity: {end}");
    assert!(first.recipient.is_some());
    let first_key = env.key_of(&first);

    let expiry = Utc.with_ymd_and_hms(2027, 11, 20, 9, 30, 0).unwrap();
    let token = smime_token(
        &env,
        &ServerTokenSpec::new("CK_acme", expiry),
        cert_pem.as_bytes(),
        "t1",
    );
    let outcome = env.import("Acme", token);
    assert!(outcome.plan.decrypted);
    assert_eq!(outcome.plan.after.expires_at, Some(expiry));
    assert_eq!(
        outcome.plan.attaches_key.as_deref(),
        Some(first.uid.as_str())
    );
    let rows = env.vault.summaries(now()).unwrap();
    assert_eq!(rows[0].identity, "CK_acme");
    assert_eq!(rows[0].expires_at, Some(expiry));
    assert!(env.vault.keys(None).unwrap().is_empty());

    // Rotation: a new key pair waits beside the old one.
    let (second, new_cert) = env
        .vault
        .create_ade_key("Acme", Some("Acme ADE 2027"), now())
        .unwrap();
    let new_pem = tokenkeeper_core::pki::certificate_pem(&new_cert);
    // ABM still encrypts to the old certificate until the new one is uploaded.
    let later = expiry + Duration::days(30);
    let token = smime_token(
        &env,
        &ServerTokenSpec::new("CK_acme", later),
        cert_pem.as_bytes(),
        "t2",
    );
    let outcome = env.import("Acme", token);
    assert_eq!(outcome.plan.after.expires_at, Some(later));
    assert!(outcome.plan.attaches_key.is_none());
    assert_eq!(
        env.vault.keys(None).unwrap().len(),
        1,
        "the new key still waits"
    );
    assert!(
        env.secrets
            .get(&format!("{}/key", first.uid))
            .unwrap()
            .is_some()
    );

    // The first token encrypted to the new certificate retires the old key.
    let latest = later + Duration::days(30);
    let token = smime_token(
        &env,
        &ServerTokenSpec::new("CK_acme", latest),
        new_pem.as_bytes(),
        "t3",
    );
    let outcome = env.import("Acme", token);
    assert_eq!(outcome.plan.after.expires_at, Some(latest));
    assert_eq!(
        outcome.plan.attaches_key.as_deref(),
        Some(second.uid.as_str())
    );
    assert!(
        env.secrets
            .get(&format!("{}/key", first.uid))
            .unwrap()
            .is_none()
    );
    assert!(env.vault.keys(None).unwrap().is_empty());
    assert_eq!(env.vault.summaries(now()).unwrap().len(), 1);
    assert_absent(&env.db_bytes(), &first_key, "the database");
    assert_absent(&env.db_bytes(), &env.key_of(&second), "the database");
}

/// What is imported, the key file, its password, a separate certificate file.
type FormatCase = (&'static str, Vec<u8>, Option<&'static str>, Vec<u8>);

#[test]
fn existing_mdm_keys_are_imported_in_every_format() {
    let pair = KeyPair::shared(0);
    let cert = tokenkeeper_core::testing::abm_certificate(pair, "Existing MDM", 0x4d44);
    let cert_pem = cert.to_pem().unwrap();
    let rsa = pair.pkey.rsa().unwrap();
    let legacy_encrypted = rsa
        .private_key_to_pem_passphrase(openssl::symm::Cipher::aes_256_cbc(), b"key-pass")
        .unwrap();
    let pkcs8_encrypted = pair
        .pkey
        .private_key_to_pem_pkcs8_passphrase(openssl::symm::Cipher::aes_256_cbc(), b"key-pass")
        .unwrap();
    let mut bundle = pair.pkcs1_pem();
    bundle.extend(&cert_pem);
    let mut p12 = Pkcs12::builder();
    p12.name("mdm").pkey(&pair.pkey).cert(&cert);
    let p12 = p12.build2("key-pass").unwrap().to_der().unwrap();
    let cases: Vec<FormatCase> = vec![
        (
            "pkcs1 + cert file",
            pair.pkcs1_pem(),
            None,
            cert_pem.clone(),
        ),
        (
            "pkcs8 + cert file",
            pair.pkcs8_pem(),
            None,
            cert_pem.clone(),
        ),
        ("der + cert file", pair.pkcs1_der(), None, cert_pem.clone()),
        ("bundle", bundle, None, Vec::new()),
        (
            "encrypted pem",
            legacy_encrypted.clone(),
            Some("key-pass"),
            cert_pem.clone(),
        ),
        (
            "encrypted pkcs8",
            pkcs8_encrypted,
            Some("key-pass"),
            cert_pem.clone(),
        ),
        ("pkcs12", p12.clone(), Some("key-pass"), Vec::new()),
        (
            "key without certificate",
            pair.pkcs8_pem(),
            None,
            Vec::new(),
        ),
    ];
    let expected = tokenkeeper_core::pki::recipient_of(&cert.to_der().unwrap()).unwrap();
    for (what, key, password, cert_file) in cases {
        let mut env = Env::new();
        env.client("Acme");
        let record = env
            .vault
            .import_ade_key("Acme", &key, password, &cert_file, now())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        if what == "key without certificate" {
            assert!(record.recipient.is_none(), "{what}");
        } else {
            assert_eq!(record.recipient.as_ref(), Some(&expected), "{what}");
        }
        let expiry = now() + Duration::days(200);
        let token = ServerTokenSpec::new("CK_existing", expiry).build(&cert);
        let outcome = env.import("Acme", token);
        assert_eq!(outcome.plan.after.expires_at, Some(expiry), "{what}");
        assert_eq!(
            outcome.plan.attaches_key.as_deref(),
            Some(record.uid.as_str()),
            "{what}"
        );
    }

    let mut env = Env::new();
    env.client("Acme");
    let e = env
        .vault
        .import_ade_key("Acme", &legacy_encrypted, None, &cert_pem, now())
        .unwrap_err();
    assert_eq!(e.kind(), "key_required");
    let e = env
        .vault
        .import_ade_key("Acme", &legacy_encrypted, Some("wrong"), &cert_pem, now())
        .unwrap_err();
    assert_eq!(e.kind(), "wrong_password");
    let e = env
        .vault
        .import_ade_key("Acme", &p12, Some("wrong"), b"", now())
        .unwrap_err();
    assert_eq!(e.kind(), "wrong_password");
    let other = tokenkeeper_core::testing::abm_certificate(KeyPair::shared(1), "Other", 9);
    let e = env
        .vault
        .import_ade_key(
            "Acme",
            &pair.pkcs8_pem(),
            None,
            &other.to_pem().unwrap(),
            now(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), "key_mismatch");
    assert!(
        env.vault.keys(None).unwrap().is_empty(),
        "refusals keep nothing"
    );
}

#[test]
fn real_abm_token_opens_with_its_imported_key() {
    let mut env = Env::new();
    env.client("Petarov");
    let key = std::fs::read(external_fixture(
        "petarov-apple-mdm-clients/apple-mdm-client-tests-1.pem",
    ))
    .unwrap();
    let cert = std::fs::read(external_fixture(
        "petarov-apple-mdm-clients/apple-mdm-client-tests-1.crt",
    ))
    .unwrap();
    let record = env
        .vault
        .import_ade_key("Petarov", &key, None, &cert, now())
        .unwrap();
    let token = std::fs::read(external_fixture(
        "petarov-apple-mdm-clients/apple-mdm-client-tests-1-server-token.p7m",
    ))
    .unwrap();
    let outcome = env.import("Petarov", token);
    assert_eq!(
        outcome.plan.attaches_key.as_deref(),
        Some(record.uid.as_str())
    );
    assert_eq!(
        outcome.plan.after.expires_at,
        Some(Utc.with_ymd_and_hms(2026, 1, 17, 11, 2, 21).unwrap())
    );
}

#[test]
fn token_for_another_clients_key_pair_is_refused() {
    let mut env = Env::new();
    env.client("Acme");
    env.client("Globex");
    let (_, cert) = env.vault.create_ade_key("Acme", None, now()).unwrap();
    let cert = X509::from_der(&cert).unwrap();
    let token = ServerTokenSpec::new("CK_x", now() + Duration::days(100)).build(&cert);
    let e = env
        .vault
        .import(
            &ImportRequest {
                client: "Globex".into(),
                bytes: token,
                ..Default::default()
            },
            Confirmation::default(),
            now(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), "key_mismatch");
    assert_eq!(env.vault.keys(None).unwrap().len(), 1);
}

#[test]
fn one_mdm_certificate_shared_by_two_clients_opens_each_clients_token() {
    let mut env = Env::new();
    env.client("Acme");
    env.client("Globex");
    let pair = KeyPair::shared(0);
    let cert = tokenkeeper_core::testing::abm_certificate(pair, "Shared MDM", 0x5a);
    let cert_pem = cert.to_pem().unwrap();
    let acme = env
        .vault
        .import_ade_key("Acme", &pair.pkcs8_pem(), None, &cert_pem, now())
        .unwrap();
    let globex = env
        .vault
        .import_ade_key("Globex", &pair.pkcs8_pem(), None, &cert_pem, now())
        .unwrap();
    let token = ServerTokenSpec::new("CK_globex", now() + Duration::days(90)).build(&cert);
    let outcome = env.import("Globex", token);
    assert_eq!(
        outcome.plan.attaches_key.as_deref(),
        Some(globex.uid.as_str())
    );
    let token = ServerTokenSpec::new("CK_acme", now() + Duration::days(91)).build(&cert);
    let outcome = env.import("Acme", token);
    assert_eq!(
        outcome.plan.attaches_key.as_deref(),
        Some(acme.uid.as_str())
    );
}

#[test]
fn removing_keys_and_clients_deletes_their_keychain_entries() {
    let mut env = Env::new();
    env.client("Acme");
    let (csr_key, _) = env
        .vault
        .create_push_csr("Acme", &subject(), now())
        .unwrap();
    let (ade_key, _) = env.vault.create_ade_key("Acme", None, now()).unwrap();
    let account = |r: &KeyRecord| format!("{}/key", r.uid);
    env.vault.remove_key(&csr_key.uid, now()).unwrap();
    assert!(env.secrets.get(&account(&csr_key)).unwrap().is_none());
    assert_eq!(
        env.vault
            .remove_key(&csr_key.uid, now())
            .unwrap_err()
            .kind(),
        "not_found"
    );
    env.vault.remove_client("Acme", now()).unwrap();
    assert!(env.secrets.get(&account(&ade_key)).unwrap().is_none());
    assert!(env.vault.keys(None).unwrap().is_empty());
}

/// A second, empty keychain namespace: another machine's keychain.
fn fresh_keychain(tag: &str) -> Arc<dyn SecretStore> {
    let base = super::keychain::real_keychain();
    Arc::new(Keychain::new(format!("{}-{tag}", base.service())))
}

/// A vault with one of everything: push certificate with its key, decrypted ADE token, content
/// token, a pending CSR, a pending ADE key pair and a vendor identity.
fn populated() -> (Env, Vec<PKey<Private>>) {
    let mut env = Env::new();
    env.client("Acme");
    env.client("Globex");
    let (csr, _) = env
        .vault
        .create_push_csr("Acme", &subject(), now())
        .unwrap();
    let push_key = env.key_of(&csr);
    env.import(
        "Acme",
        push_cert_for(&push_key, &random_topic(), now() + Duration::days(300)),
    );
    let (ade, cert) = env.vault.create_ade_key("Acme", None, now()).unwrap();
    let ade_key = env.key_of(&ade);
    let cert = X509::from_der(&cert).unwrap();
    env.import(
        "Acme",
        ServerTokenSpec::new("CK_backup", now() + Duration::days(120)).build(&cert),
    );
    env.import(
        "Globex",
        ContentTokenSpec::new("Globex Inc", now() + Duration::days(40)).build(),
    );
    let (pending_csr, _) = env
        .vault
        .create_push_csr("Globex", &subject(), now())
        .unwrap();
    let (pending_ade, _) = env.vault.create_ade_key("Globex", None, now()).unwrap();
    let chain = vendor_chain();
    env.vault
        .add_vendor(None, &p12(&chain, "pw", true), "pw", b"", now())
        .unwrap();
    let keys = vec![
        push_key,
        ade_key,
        env.key_of(&pending_csr),
        env.key_of(&pending_ade),
        chain.vendor_key.clone(),
    ];
    (env, keys)
}

fn listing(vault: &Vault) -> String {
    let mut rows = vault.summaries(now()).unwrap();
    rows.sort_by(|a, b| a.uid.cmp(&b.uid));
    format!(
        "{}\n{:?}\n{:?}",
        serde_json::to_string(&rows).unwrap(),
        vault.clients().unwrap(),
        vault.keys(None).unwrap()
    )
}

#[test]
fn backup_restores_everything_on_a_fresh_machine() {
    let (mut source, keys) = populated();
    let passphrase = SecretString::from("correct horse battery staple");
    if crate::on_postgres() {
        // A team database is backed up on its server: the file backup says so and writes nothing.
        let e = source.vault.backup(&passphrase, now()).unwrap_err();
        assert!(e.to_string().contains("pg_dump"), "{e}");
        return;
    }
    let (backup, summary) = source.vault.backup(&passphrase, now()).unwrap();
    assert_eq!(summary.clients, 2);
    assert_eq!(summary.credentials, 3);
    assert_eq!(summary.keys, 3);
    // push key, ADE key, ADE token secret, content token, 2 pending keys, vendor bundle.
    assert_eq!(summary.secrets, 7);
    for key in &keys {
        assert_absent(&backup, key, "the encrypted backup");
        assert_absent(&source.db_bytes(), key, "the database");
    }
    for marker in SECRET_MARKERS.iter().chain([&CONTENT_SECRET_MARKER]) {
        assert!(!backup.windows(marker.len()).any(|w| w == marker.as_bytes()));
    }
    assert!(backup.starts_with(b"age-encryption.org/v1\n-> scrypt "));

    let store = fresh_keychain("restore");
    let mut target = Env::with_store(store.clone());
    let restored = target
        .vault
        .restore(&backup, &passphrase, RestoreOptions::default(), now())
        .unwrap();
    assert_eq!(restored, summary);
    assert_eq!(listing(&target.vault), listing(&source.vault));
    assert!(target.vault.verify_secrets(now()).unwrap().is_empty());

    // The keys work on the new machine.
    let exported = target
        .vault
        .cert_export("Acme", None, &CertExport::Pem, now())
        .unwrap();
    assert!(
        PKey::private_key_from_pem(&exported)
            .unwrap()
            .public_eq(&keys[0])
    );
    target.vault.push_request("Globex", None, None).unwrap();
    let pending_ade = target
        .vault
        .keys(Some("Globex"))
        .unwrap()
        .into_iter()
        .find(|k| k.purpose == KeyPurpose::Ade)
        .unwrap();
    let cert = X509::from_der(&target.vault.ade_certificate(&pending_ade.uid).unwrap()).unwrap();
    let outcome = target.import(
        "Globex",
        ServerTokenSpec::new("CK_globex", now() + Duration::days(300)).build(&cert),
    );
    assert!(outcome.plan.decrypted);
    for key in &keys {
        assert_absent(&target.db_bytes(), key, "the restored database");
    }
    let events: Vec<String> = target
        .vault
        .events(&Default::default())
        .unwrap()
        .into_iter()
        .map(|e| e.kind.id().to_owned())
        .collect();
    assert!(events.contains(&"backup_restored".to_owned()), "{events:?}");

    // Restoring over data needs --force.
    let e = target
        .vault
        .restore(&backup, &passphrase, RestoreOptions::default(), now())
        .unwrap_err();
    assert_eq!(e.kind(), "not_empty");
    target
        .vault
        .restore(&backup, &passphrase, RestoreOptions { force: true }, now())
        .unwrap();
    assert_eq!(listing(&target.vault), listing(&source.vault));
}

#[test]
fn wrong_passphrase_or_damaged_backup_changes_nothing() {
    let (mut source, _) = populated();
    let passphrase = SecretString::from("correct horse battery staple");
    if crate::on_postgres() {
        // A team database is backed up on its server: the file backup says so and writes nothing.
        let e = source.vault.backup(&passphrase, now()).unwrap_err();
        assert!(e.to_string().contains("pg_dump"), "{e}");
        return;
    }
    let (backup, _) = source.vault.backup(&passphrase, now()).unwrap();
    let store = fresh_keychain("damaged");
    let mut target = Env::with_store(store.clone());
    target.client("Existing");
    let before = listing(&target.vault);

    let wrong = target
        .vault
        .restore(
            &backup,
            &SecretString::from("wrong passphrase!"),
            RestoreOptions { force: true },
            now(),
        )
        .unwrap_err();
    assert_eq!(wrong.kind(), "wrong_password");
    assert!(wrong.to_string().contains("nothing was changed"), "{wrong}");

    let mut flipped = backup.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x40;
    let truncated = backup[..backup.len() - 100].to_vec();
    let mut bad_header = backup.clone();
    bad_header[3] = b'X';
    for (what, bytes) in [
        ("flipped", flipped),
        ("truncated", truncated),
        ("header", bad_header),
        ("empty", Vec::new()),
        ("not a backup", b"hello".to_vec()),
    ] {
        let e = target
            .vault
            .restore(&bytes, &passphrase, RestoreOptions { force: true }, now())
            .unwrap_err();
        assert_eq!(e.kind(), "corrupt_backup", "{what}: {e}");
        assert!(e.to_string().contains("nothing was changed"), "{what}: {e}");
    }
    assert_eq!(listing(&target.vault), before);
    // Not one keychain entry of the backup reached this keychain.
    for record in source.vault.keys(None).unwrap() {
        assert!(store.get(&format!("{}/key", record.uid)).unwrap().is_none());
    }
    let short = source
        .vault
        .backup(&SecretString::from("short"), now())
        .unwrap_err();
    assert_eq!(short.kind(), "invalid_input");
}
