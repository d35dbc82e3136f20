//! The real-world samples in `../shared/fixtures/external/`, written by people outside this project.

use secrecy::ExposeSecret;
use tokenkeeper_core::token::ContentCipher;
use tokenkeeper_core::{Credential, Kind, PrivateKey, read};

pub fn external(rel: &str) -> Vec<u8> {
    let path = tokenkeeper_core::testing::external_fixture(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const TOKEN: &str = "petarov-apple-mdm-clients/apple-mdm-client-tests-1-server-token.p7m";
const TOKEN_KEY: &str = "petarov-apple-mdm-clients/apple-mdm-client-tests-1.pem";
const TOKEN_CERT: &str = "petarov-apple-mdm-clients/apple-mdm-client-tests-1.crt";

#[test]
fn abm_issued_token_decrypts_to_its_exact_values() {
    let key = PrivateKey::from_bytes(&external(TOKEN_KEY)).unwrap();
    let Credential::ServerToken(t) = read(&external(TOKEN), Some(&key)).unwrap() else {
        panic!("not a server token")
    };
    assert!(t.decrypted);
    assert_eq!(t.cipher, ContentCipher::Aes128Cbc);
    assert_eq!(
        t.recipient.issuer,
        "C=DE, OU=com.github.petarov, CN=apple-mdm-client-tests"
    );
    assert_eq!(t.recipient.serial, "70feddc7d5afa393");
    let c = t.contents.as_ref().unwrap();
    assert_eq!(
        c.consumer_key,
        "CK_75b2eb55cec9641e869a7d2c88b4bf1f7ffee504716571d191306385b8647ead9a4239ad6a2095ea0197feb46ce61399"
    );
    assert_eq!(c.expires_at.to_rfc3339(), "2026-01-17T11:02:21+00:00");
    assert_eq!(
        c.secrets.consumer_secret.expose_secret(),
        "CS_810bb5ab05e53becb3bfbe40b3608a0c9039c457"
    );
    assert_eq!(
        c.secrets.access_token.expose_secret(),
        "AT_O8474885631Oe8ddece11c1a70077b340e281a2c4e2c4924a54cO1737111741803"
    );
    assert_eq!(
        c.secrets.access_secret.expose_secret(),
        "AS_97b944021a19633782a36c2a85038a46d6acaa06"
    );
    // None of them leak through Debug or serialization.
    let debug = format!("{t:?}");
    let shown = format!(
        "{debug} {}",
        serde_json::to_string(&Credential::ServerToken(t)).unwrap()
    );
    for secret in ["CS_810bb5ab", "AT_O8474885631", "AS_97b94402"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
}

#[test]
fn abm_token_without_key_names_its_recipient_and_no_expiry() {
    let cred = read(&external(TOKEN), None).unwrap();
    assert_eq!(cred.expires_at(), None);
    let Credential::ServerToken(t) = cred else {
        panic!("kind")
    };
    assert!(!t.decrypted);
    assert_eq!(t.consumer_key, None);
    // The recipient is the certificate that was uploaded to ABM.
    let crt = read(&external(TOKEN_CERT), None).unwrap_err();
    assert_eq!(crt.kind(), "not_push_certificate");
    assert_eq!(t.recipient.serial, "70feddc7d5afa393");
}

#[test]
fn abm_token_with_another_key_is_wrong_key_naming_the_recipient() {
    let other = tokenkeeper_core::testing::KeyPair::shared(0).private_key();
    let e = read(&external(TOKEN), Some(&other)).unwrap_err();
    assert_eq!(e.kind(), "wrong_key");
    let msg = e.to_string();
    assert!(
        msg.contains("CN=apple-mdm-client-tests") && msg.contains("70feddc7d5afa393"),
        "{msg}"
    );
}

#[test]
fn synthetic_content_token_with_offset_and_newline() {
    let bytes = external("petarov-apple-mdm-clients/apple-mdm-client-tests-stoken-1.stoken");
    let Credential::ContentToken(t) = read(&bytes, None).unwrap() else {
        panic!("kind")
    };
    assert_eq!(t.org_name, "blabla GmbH");
    assert_eq!(t.expires_at.to_rfc3339(), "2020-12-31T11:57:19+00:00");
    assert_eq!(t.sha256, tokenkeeper_core::token::sha256_hex(&bytes));
    assert!(!t.secret.expose_secret().ends_with('\n'));
}

#[test]
fn micromdm_mock_push_certificates_one_topic_two_refusals() {
    let Credential::PushCertificate(c) =
        read(&external("micromdm/mock_push_cert.pem"), None).unwrap()
    else {
        panic!("kind")
    };
    assert_eq!(
        c.topic.as_str(),
        "com.apple.mgmt.External.18a16429-886b-41f1-9c30-2bd04ae4fc37"
    );
    assert_eq!(c.subject_cn, "APSP:17a16429-886b-41f1-8c90-3bd02ae9fc57");
    assert_eq!(c.serial, "c7f665773b59fb4b");
    assert_eq!(c.not_after.to_rfc3339(), "2068-01-25T08:33:25+00:00");
    assert_eq!(c.key_matches, None);

    let e = read(&external("micromdm/mock_push_cert_no_uid.pem"), None).unwrap_err();
    assert_eq!(e.kind(), "not_push_certificate");
    assert!(e.to_string().contains("no push topic"), "{e}");

    let e = read(
        &external("micromdm/mock_push_cert_wrong_uid_prefix.pem"),
        None,
    )
    .unwrap_err();
    assert_eq!(e.kind(), "not_push_certificate");
    assert!(
        e.to_string()
            .contains("does not start with \"com.apple.mgmt.\""),
        "{e}"
    );
    assert_eq!(Kind::PushCertificate.id(), "push_certificate");
}
