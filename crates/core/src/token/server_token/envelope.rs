//! CMS EnvelopedData (RFC 5652) as ABM writes it: one KeyTransRecipientInfo with RSA PKCS#1 v1.5
//! key transport, content encrypted with AES-CBC or DES-EDE3-CBC. Read with the BER reader, so
//! indefinite lengths and segmented content work; decrypted with OpenSSL primitives.

use openssl::symm::{Cipher, decrypt};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{Error, Recipient, Result};
use crate::token::ber::{BerError, Tlv, name_to_string, oid_to_string, tag};
use crate::token::{Kind, PrivateKey, serial_hex};

const ENVELOPED_DATA: &str = "1.2.840.113549.1.7.3";
const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";

/// The content encryption algorithms accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum ContentCipher {
    /// AES-128-CBC, what ABM uses.
    #[serde(rename = "aes-128-cbc")]
    Aes128Cbc,
    /// AES-192-CBC.
    #[serde(rename = "aes-192-cbc")]
    Aes192Cbc,
    /// AES-256-CBC.
    #[serde(rename = "aes-256-cbc")]
    Aes256Cbc,
    /// Triple DES (DES-EDE3-CBC), OpenSSL's default for `smime -encrypt`.
    #[serde(rename = "des-ede3-cbc")]
    DesEde3Cbc,
}

impl ContentCipher {
    /// Every accepted cipher.
    pub const ALL: [ContentCipher; 4] = [
        ContentCipher::Aes128Cbc,
        ContentCipher::Aes192Cbc,
        ContentCipher::Aes256Cbc,
        ContentCipher::DesEde3Cbc,
    ];

    /// The algorithm OID, dotted.
    pub fn oid(self) -> &'static str {
        match self {
            ContentCipher::Aes128Cbc => "2.16.840.1.101.3.4.1.2",
            ContentCipher::Aes192Cbc => "2.16.840.1.101.3.4.1.22",
            ContentCipher::Aes256Cbc => "2.16.840.1.101.3.4.1.42",
            ContentCipher::DesEde3Cbc => "1.2.840.113549.3.7",
        }
    }

    /// Name as in JSON and OpenSSL (`aes-128-cbc`).
    pub fn name(self) -> &'static str {
        match self {
            ContentCipher::Aes128Cbc => "aes-128-cbc",
            ContentCipher::Aes192Cbc => "aes-192-cbc",
            ContentCipher::Aes256Cbc => "aes-256-cbc",
            ContentCipher::DesEde3Cbc => "des-ede3-cbc",
        }
    }

    fn from_oid(oid: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.oid() == oid)
    }

    /// The OpenSSL cipher.
    pub fn openssl(self) -> Cipher {
        match self {
            ContentCipher::Aes128Cbc => Cipher::aes_128_cbc(),
            ContentCipher::Aes192Cbc => Cipher::aes_192_cbc(),
            ContentCipher::Aes256Cbc => Cipher::aes_256_cbc(),
            ContentCipher::DesEde3Cbc => Cipher::des_ede3_cbc(),
        }
    }
}

/// The parts of an EnvelopedData needed to name its recipient and decrypt it.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The certificate the content key was encrypted for.
    pub recipient: Recipient,
    /// The content cipher.
    pub cipher: ContentCipher,
    iv: Vec<u8>,
    encrypted_key: Vec<u8>,
    encrypted_content: Vec<u8>,
}

fn corrupt(detail: impl Into<String>) -> Error {
    Error::corrupt(Kind::ServerToken, detail)
}

fn structure(e: BerError) -> Error {
    corrupt(format!("its encrypted structure is invalid ({})", e.0))
}

fn unsupported(algorithm: impl Into<String>) -> Error {
    Error::UnsupportedAlgorithm {
        kind: Kind::ServerToken,
        algorithm: algorithm.into(),
    }
}

/// Names an algorithm OID for an error message.
fn algorithm_name(oid: &str) -> String {
    let name = match oid {
        "1.2.840.113549.1.1.7" => "RSAES-OAEP key transport",
        "2.16.840.1.101.3.4.1.6" | "2.16.840.1.101.3.4.1.26" | "2.16.840.1.101.3.4.1.46" => {
            "AES-GCM content encryption"
        }
        "1.2.840.113549.3.2" => "RC2-CBC content encryption",
        "1.3.14.3.2.7" => "single DES-CBC content encryption",
        "1.2.840.113549.1.9.16.3.18" => "ChaCha20-Poly1305 content encryption",
        _ => return format!("the algorithm {oid}"),
    };
    format!("{name} ({oid})")
}

impl Envelope {
    /// Step 2: reads ContentInfo(EnvelopedData) from BER or DER.
    ///
    /// # Errors
    /// [`Error::Corrupt`] for a damaged structure or another CMS type,
    /// [`Error::UnsupportedAlgorithm`] for recipients or ciphers other than RSA + CBC.
    pub fn parse(ber: &[u8]) -> Result<Self> {
        let (info, _trailing) = Tlv::read(ber).map_err(structure)?;
        let info_parts = info.children().map_err(structure)?;
        let [content_type, wrapped, ..] = info_parts.as_slice() else {
            return Err(corrupt("it is truncated (no content)"));
        };
        if !content_type.is(tag::OID) {
            return Err(corrupt("it does not start with a content type"));
        }
        let content_type = oid_to_string(content_type.body);
        if content_type != ENVELOPED_DATA {
            return Err(corrupt(format!(
                "it is CMS content of type {content_type}, not encrypted (enveloped) data"
            )));
        }
        let enveloped = wrapped
            .children()
            .map_err(structure)?
            .into_iter()
            .next()
            .ok_or_else(|| corrupt("the encrypted data is empty"))?;
        let mut fields = enveloped.children().map_err(structure)?.into_iter();
        // version, [0] originatorInfo OPTIONAL, recipientInfos SET, encryptedContentInfo
        let _version = fields.next().filter(|v| v.is(tag::INTEGER));
        let mut next = fields.next();
        if next.is_some_and(|t| t.is_context(0)) {
            next = fields.next();
        }
        let recipients = next
            .filter(|t| t.is(tag::SET))
            .ok_or_else(|| corrupt("it has no recipient list"))?;
        let content_info = fields
            .next()
            .filter(|t| t.is(tag::SEQUENCE))
            .ok_or_else(|| corrupt("it has no encrypted content"))?;
        let (recipient, encrypted_key) = key_transport_recipient(&recipients)?;
        let (cipher, iv, encrypted_content) = encrypted_content(&content_info)?;
        Ok(Self {
            recipient,
            cipher,
            iv,
            encrypted_key,
            encrypted_content,
        })
    }

    /// Step 3: decrypts the content with the recipient's private key.
    ///
    /// # Errors
    /// [`Error::WrongKey`] naming the recipient when the key does not open the envelope;
    /// [`Error::Corrupt`] when the key opens it but the content is damaged.
    pub fn decrypt(&self, key: &PrivateKey) -> Result<Zeroizing<Vec<u8>>> {
        let wrong_key = || Error::WrongKey {
            recipient: self.recipient.clone(),
        };
        let content_key = key
            .rsa_pkcs1_decrypt(&self.encrypted_key)
            .ok_or_else(wrong_key)?;
        let cipher = self.cipher.openssl();
        if content_key.len() != cipher.key_len() {
            return Err(wrong_key());
        }
        decrypt(
            cipher,
            &content_key,
            Some(&self.iv),
            &self.encrypted_content,
        )
        .map(Zeroizing::new)
        .map_err(|_| corrupt("the key opens it but the encrypted content is damaged or truncated"))
    }
}

/// The single KeyTransRecipientInfo: recipient identity and encrypted content key.
fn key_transport_recipient(set: &Tlv<'_>) -> Result<(Recipient, Vec<u8>)> {
    let infos = set.children().map_err(structure)?;
    let mut refusal = None;
    for info in &infos {
        if !info.is(tag::SEQUENCE) {
            // [1] KeyAgree, [2] KEK, [3] password, [4] other.
            refusal.get_or_insert_with(|| {
                unsupported(format!(
                    "a recipient of type [{}] (only RSA key transport is supported)",
                    info.number
                ))
            });
            continue;
        }
        let parts = info.children().map_err(structure)?;
        let [_version, rid, algorithm, encrypted_key, ..] = parts.as_slice() else {
            return Err(corrupt("its recipient information is truncated"));
        };
        if rid.is_context(0) {
            refusal.get_or_insert_with(|| {
                unsupported(
                    "a recipient named by subject key identifier instead of issuer and serial",
                )
            });
            continue;
        }
        let rid_parts = rid.children().map_err(structure)?;
        let [issuer, serial, ..] = rid_parts.as_slice() else {
            return Err(corrupt("its recipient identifier is truncated"));
        };
        if !serial.is(tag::INTEGER) || !issuer.is(tag::SEQUENCE) {
            return Err(corrupt("its recipient identifier is invalid"));
        }
        let recipient = Recipient {
            issuer: name_to_string(issuer).map_err(structure)?,
            serial: serial_hex(serial.body),
        };
        let algorithm_oid = first_oid(algorithm)?;
        if algorithm_oid != RSA_ENCRYPTION {
            return Err(unsupported(algorithm_name(&algorithm_oid)));
        }
        if !encrypted_key.is(tag::OCTET_STRING) {
            return Err(corrupt("its encrypted key is missing"));
        }
        let key = encrypted_key.octets().map_err(structure)?;
        return Ok((recipient, key));
    }
    Err(refusal.unwrap_or_else(|| corrupt("it has no recipient")))
}

fn first_oid(algorithm: &Tlv<'_>) -> Result<String> {
    let parts = algorithm.children().map_err(structure)?;
    parts
        .first()
        .filter(|t| t.is(tag::OID))
        .map(|t| oid_to_string(t.body))
        .ok_or_else(|| corrupt("an algorithm identifier is invalid"))
}

/// EncryptedContentInfo: cipher, IV and the encrypted bytes (joined if segmented).
fn encrypted_content(info: &Tlv<'_>) -> Result<(ContentCipher, Vec<u8>, Vec<u8>)> {
    let parts = info.children().map_err(structure)?;
    let [_type, algorithm, rest @ ..] = parts.as_slice() else {
        return Err(corrupt("its encrypted content information is truncated"));
    };
    let algorithm_parts = algorithm.children().map_err(structure)?;
    let oid = algorithm_parts
        .first()
        .filter(|t| t.is(tag::OID))
        .map(|t| oid_to_string(t.body))
        .ok_or_else(|| corrupt("its content algorithm is invalid"))?;
    let cipher = ContentCipher::from_oid(&oid).ok_or_else(|| unsupported(algorithm_name(&oid)))?;
    let iv = algorithm_parts
        .get(1)
        .filter(|t| t.is(tag::OCTET_STRING))
        .map(|t| t.octets())
        .transpose()
        .map_err(structure)?
        .ok_or_else(|| corrupt("its initialisation vector is missing"))?;
    if cipher.openssl().iv_len() != Some(iv.len()) {
        return Err(corrupt("its initialisation vector has the wrong length"));
    }
    let content = rest
        .iter()
        .find(|t| t.is_context(0))
        .ok_or_else(|| {
            corrupt("its encrypted content is missing (detached content is not a token)")
        })?
        .octets()
        .map_err(structure)?;
    if content.is_empty() || content.len() % cipher.openssl().block_size() != 0 {
        return Err(corrupt("its encrypted content is truncated"));
    }
    Ok((cipher, iv, content))
}
