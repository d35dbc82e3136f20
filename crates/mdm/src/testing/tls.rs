//! The fakes' TLS: a test CA and a certificate for 127.0.0.1 and localhost, made once per
//! process (P-256 keys: instant even in a debug build).

use std::sync::{Arc, OnceLock};

use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{SslAcceptor, SslMethod};
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use openssl::x509::{X509, X509NameBuilder};

struct Material {
    ca_pem: String,
    acceptor: Arc<SslAcceptor>,
}

fn key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("P-256 is built in");
    PKey::from_ec_key(EcKey::generate(&group).expect("P-256 key")).expect("key")
}

fn certificate(
    cn: &str,
    serial: u32,
    key: &PKey<Private>,
    issuer: Option<(&X509, &PKey<Private>)>,
) -> X509 {
    let mut name = X509NameBuilder::new().expect("name");
    name.append_entry_by_text("CN", cn).expect("CN");
    let name = name.build();
    let mut b = X509::builder().expect("builder");
    b.set_version(2).expect("v3");
    let serial = BigNum::from_u32(serial)
        .and_then(|n| n.to_asn1_integer())
        .expect("serial");
    b.set_serial_number(&serial).expect("serial");
    b.set_subject_name(&name).expect("subject");
    b.set_pubkey(key).expect("public key");
    b.set_not_before(&Asn1Time::days_from_now(0).expect("now"))
        .expect("not before");
    b.set_not_after(&Asn1Time::days_from_now(3650).expect("later"))
        .expect("not after");
    match issuer {
        None => {
            b.set_issuer_name(&name).expect("issuer");
            b.append_extension(BasicConstraints::new().critical().ca().build().expect("bc"))
                .expect("bc");
            b.append_extension(
                KeyUsage::new()
                    .critical()
                    .key_cert_sign()
                    .crl_sign()
                    .build()
                    .expect("ku"),
            )
            .expect("ku");
            b.sign(key, MessageDigest::sha256()).expect("sign");
        }
        Some((ca, ca_key)) => {
            b.set_issuer_name(ca.subject_name()).expect("issuer");
            let san = SubjectAlternativeName::new()
                .ip("127.0.0.1")
                .dns("localhost")
                .build(&b.x509v3_context(Some(ca), None))
                .expect("san");
            b.append_extension(san).expect("san");
            b.append_extension(ExtendedKeyUsage::new().server_auth().build().expect("eku"))
                .expect("eku");
            b.sign(ca_key, MessageDigest::sha256()).expect("sign");
        }
    }
    b.build()
}

fn material() -> &'static Material {
    static MATERIAL: OnceLock<Material> = OnceLock::new();
    MATERIAL.get_or_init(|| {
        let ca_key = key();
        let ca = certificate("TokenKeeper test CA", 1, &ca_key, None);
        let server_key = key();
        let server = certificate("127.0.0.1", 2, &server_key, Some((&ca, &ca_key)));
        let mut acceptor =
            SslAcceptor::mozilla_intermediate_v5(SslMethod::tls_server()).expect("acceptor");
        acceptor.set_private_key(&server_key).expect("server key");
        acceptor
            .set_certificate(&server)
            .expect("server certificate");
        acceptor.add_extra_chain_cert(ca.clone()).expect("chain");
        let ca_pem = String::from_utf8(ca.to_pem().expect("PEM")).expect("PEM is ASCII");
        Material {
            ca_pem,
            acceptor: Arc::new(acceptor.build()),
        }
    })
}

/// The test CA's certificate (PEM): what a connection to a fake trusts.
pub fn test_ca_pem() -> &'static str {
    &material().ca_pem
}

pub(super) fn acceptor() -> Arc<SslAcceptor> {
    Arc::clone(&material().acceptor)
}
