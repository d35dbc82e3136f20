//! Minted ADE server tokens: the OAuth values in Apple's message, encrypted to a recipient
//! certificate in every cipher, encoding and file layout TokenKeeper reads.
#![allow(clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, SecondsFormat, Utc};
use openssl::rand::rand_bytes;
use openssl::rsa::Padding;
use openssl::symm::encrypt;
use openssl::x509::X509;

use super::ber_writer::Node;
use crate::token::ContentCipher;

/// How the CMS structure is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// BER with indefinite lengths and segmented content, as ABM writes it.
    Indefinite,
    /// DER with definite lengths, as `openssl smime -encrypt` writes it.
    Definite,
}

/// The outer wrapping of a server token file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Apple: four header lines, base64 at 76 columns.
    Apple,
    /// OpenSSL: `MIME-Version`, `application/x-pkcs7-mime`, base64 at 64 columns.
    OpenSsl,
    /// The BER/DER bytes alone.
    Raw,
    /// A `-----BEGIN PKCS7-----` block.
    Pem,
}

/// What a minted server token holds and how it is written.
#[derive(Debug, Clone)]
pub struct ServerTokenSpec {
    pub consumer_key: String,
    pub consumer_secret: String,
    pub access_token: String,
    pub access_secret: String,
    pub expires_at: DateTime<Utc>,
    pub cipher: ContentCipher,
    pub encoding: Encoding,
    pub layout: Layout,
    pub crlf: bool,
    /// Replaces the content cipher OID (to test refusals of other algorithms).
    pub cipher_oid: Option<&'static str>,
    /// Replaces the key transport OID (to test refusals of other algorithms).
    pub key_transport_oid: Option<&'static str>,
}

/// Secret values minted into every test server token, so tests can prove they never leak.
pub const SECRET_MARKERS: [&str; 3] = [
    "CS_0bb5ec4e7fd5d42a",
    "AT_O8473841279b6c71a0b4ba11bcc8ec6e",
    "AS_f2db86ee1b1849ac",
];

impl ServerTokenSpec {
    /// A token as ABM issues it: AES-128-CBC, indefinite-length BER, Apple's layout.
    pub fn new(consumer_key: &str, expires_at: DateTime<Utc>) -> Self {
        Self {
            consumer_key: consumer_key.to_owned(),
            consumer_secret: SECRET_MARKERS[0].to_owned(),
            access_token: SECRET_MARKERS[1].to_owned(),
            access_secret: SECRET_MARKERS[2].to_owned(),
            expires_at,
            cipher: ContentCipher::Aes128Cbc,
            encoding: Encoding::Indefinite,
            layout: Layout::Apple,
            crlf: false,
            cipher_oid: None,
            key_transport_oid: None,
        }
    }

    /// The decrypted MIME message.
    pub fn message(&self) -> Vec<u8> {
        let json = serde_json::json!({
            "consumer_key": self.consumer_key,
            "consumer_secret": self.consumer_secret,
            "access_token": self.access_token,
            "access_secret": self.access_secret,
            "access_token_expiry": self.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        });
        format!(
            "Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\n{json}\n-----END MESSAGE-----\n"
        )
        .into_bytes()
    }

    /// Encrypts the token to `recipient` and writes the file.
    pub fn build(&self, recipient: &X509) -> Vec<u8> {
        let ber = self.envelope(recipient);
        self.wrap(&ber)
    }

    /// The CMS ContentInfo(EnvelopedData), BER or DER.
    pub fn envelope(&self, recipient: &X509) -> Vec<u8> {
        let cipher = self.cipher.openssl();
        let mut cek = vec![0u8; cipher.key_len()];
        rand_bytes(&mut cek).expect("rand");
        let mut iv = vec![0u8; cipher.iv_len().expect("cbc has an iv")];
        rand_bytes(&mut iv).expect("rand");
        let content = encrypt(cipher, &cek, Some(&iv), &self.message()).expect("encrypt");
        let rsa = recipient
            .public_key()
            .expect("public key")
            .rsa()
            .expect("rsa recipient");
        let mut encrypted_key = vec![0u8; rsa.size() as usize];
        let n = rsa
            .public_encrypt(&cek, &mut encrypted_key, Padding::PKCS1)
            .expect("rsa encrypt");
        encrypted_key.truncate(n);

        let issuer = recipient.issuer_name().to_der().expect("issuer der");
        let serial = recipient.serial_number().to_bn().expect("serial").to_vec();
        let serial = if serial.first().is_some_and(|b| b & 0x80 != 0) {
            [vec![0], serial].concat()
        } else {
            serial
        };
        let recipient_info = Node::seq(vec![
            Node::int(0),
            Node::seq(vec![Node::Raw(issuer), Node::prim(0x02, serial)]),
            Node::seq(vec![
                Node::oid(self.key_transport_oid.unwrap_or("1.2.840.113549.1.1.1")),
                Node::prim(0x05, vec![]),
            ]),
            Node::prim(0x04, encrypted_key),
        ]);
        let encrypted_content = match self.encoding {
            Encoding::Indefinite => Node::Cons(
                0xa0,
                content
                    .chunks(1024)
                    .map(|c| Node::prim(0x04, c.to_vec()))
                    .collect(),
            ),
            Encoding::Definite => Node::prim(0x80, content),
        };
        let content_info = Node::seq(vec![
            Node::oid("1.2.840.113549.1.7.1"),
            Node::seq(vec![
                Node::oid(self.cipher_oid.unwrap_or(self.cipher.oid())),
                Node::prim(0x04, iv),
            ]),
            encrypted_content,
        ]);
        let enveloped = Node::seq(vec![
            Node::int(0),
            Node::Cons(0x31, vec![recipient_info]),
            content_info,
        ]);
        let info = Node::seq(vec![
            Node::oid("1.2.840.113549.1.7.3"),
            Node::Cons(0xa0, vec![enveloped]),
        ]);
        info.encode(self.encoding == Encoding::Indefinite)
    }

    fn wrap(&self, ber: &[u8]) -> Vec<u8> {
        let b64 = STANDARD.encode(ber);
        let (headers, width, footer): (&[&str], usize, Option<(&str, &str)>) = match self.layout {
            Layout::Raw => return ber.to_vec(),
            Layout::Apple => (
                &[
                    "Content-Type: application/pkcs7-mime; name=\"smime.p7m\"; smime-type=enveloped-data",
                    "Content-Transfer-Encoding: base64",
                    "Content-Disposition: attachment; filename=\"smime.p7m\"",
                    "Content-Description: S/MIME Encrypted Message",
                    "",
                ],
                76,
                None,
            ),
            Layout::OpenSsl => (
                &[
                    "MIME-Version: 1.0",
                    "Content-Disposition: attachment; filename=\"smime.p7m\"",
                    "Content-Type: application/x-pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"",
                    "Content-Transfer-Encoding: base64",
                    "",
                ],
                64,
                None,
            ),
            Layout::Pem => (
                &[],
                64,
                Some(("-----BEGIN PKCS7-----", "-----END PKCS7-----")),
            ),
        };
        let mut lines: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        if let Some((begin, _)) = footer {
            lines.push(begin.to_owned());
        }
        lines.extend(
            b64.as_bytes()
                .chunks(width)
                .map(|c| String::from_utf8_lossy(c).into_owned()),
        );
        if let Some((_, end)) = footer {
            lines.push(end.to_owned());
        }
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let mut out = lines.join(eol);
        out.push_str(eol);
        out.into_bytes()
    }
}
