//! Writes test fixtures for the end-to-end tests of the app (which drive the real window and need
//! real files to pick): `mint push OUT [DAYS] [TOPIC]`, `mint vpp OUT [DAYS] [ORG]`,
//! `mint token OUT KEY_OUT [DAYS]`. Test data only: minted keys and tokens are throwaway.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use tokenkeeper_core::testing::{
    ContentTokenSpec, KeyPair, PushCertificateSpec, ServerTokenSpec, TestCa, abm_certificate, pem,
    random_topic,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let days = |i: usize, default: i64| args.get(i).and_then(|d| d.parse().ok()).unwrap_or(default);
    let usage = "usage: mint push OUT [DAYS] [TOPIC] | mint vpp OUT [DAYS] [ORG] | mint token OUT KEY_OUT [DAYS]";
    let (Some(what), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("{usage}");
        std::process::exit(64);
    };
    let expiry = |d: i64| Utc::now() + Duration::days(d);
    let bytes = match what.as_str() {
        "push" => {
            let topic = args.get(3).cloned().unwrap_or_else(random_topic);
            pem(&PushCertificateSpec::new(&topic)
                .expiring(expiry(days(2, 365)))
                .issue(&TestCa::new(), KeyPair::shared(0)))
        }
        "vpp" => {
            let org = args.get(3).map_or("Acme Inc", String::as_str);
            ContentTokenSpec::new(org, expiry(days(2, 365))).build()
        }
        "token" => {
            let key = KeyPair::shared(1);
            let key_out = args.get(2).expect(usage);
            std::fs::write(key_out, key.pkcs1_pem()).expect("write key");
            let cert = abm_certificate(key, "TokenKeeper e2e MDM", 1);
            ServerTokenSpec::new("CK_e2e", expiry(days(3, 365))).build(&cert)
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(64);
        }
    };
    std::fs::write(out, bytes).expect("write fixture");
}
