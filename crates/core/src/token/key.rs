//! Private keys given by the user: PKCS#1 or PKCS#8, PEM or DER, alone or inside a PEM bundle
//! with certificates. The key never appears in `Debug`, errors or output.

use openssl::pkey::{PKey, Private};
use openssl::rsa::{Padding, Rsa};
use zeroize::Zeroizing;

use super::{ber, pem};
use crate::error::{Error, Result};

/// Largest DER private key read: an RSA-16384 key in PKCS#8 is under 10 KiB.
const MAX_KEY_DER: usize = 16 * 1024;
/// Smallest DER private key read: an RSA-512 key in PKCS#1 is about 320 bytes.
const MIN_KEY_DER: usize = 64;
/// Private key blocks tried in one file: a bundle holds one key. Each try costs OpenSSL about a
/// millisecond, so 18,000 tiny key blocks in 1 MiB cost 20 s (benches/hostile.rs) before this.
const MAX_KEY_BLOCKS: usize = 4;

/// A private key. `Debug` shows only its type and size.
pub struct PrivateKey {
    key: PKey<Private>,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PrivateKey({:?}, {} bits, redacted)",
            self.key.id(),
            self.key.bits()
        )
    }
}

impl PrivateKey {
    /// Reads a private key from a file's bytes: PEM (`RSA PRIVATE KEY`, `PRIVATE KEY`, also
    /// inside a bundle with certificates) or DER (PKCS#1 or PKCS#8).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when no usable key is found, saying why (encrypted, damaged, a
    /// certificate instead of a key); [`Error::TooLarge`] past 1 MiB.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > crate::error::MAX_FILE_SIZE {
            return Err(Error::TooLarge { size: bytes.len() });
        }
        if let Some(key) = Self::from_pem_blocks(bytes)? {
            return Ok(key);
        }
        Self::from_der(bytes).ok_or_else(|| Error::InvalidKey {
            detail:
                "the file holds no private key (expected a PEM or DER RSA key, PKCS#1 or PKCS#8)"
                    .to_owned(),
        })
    }

    /// The key found in a PEM bundle, if the bytes hold any PEM private key block.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when the only key block is encrypted or damaged.
    pub(crate) fn from_pem_blocks(bytes: &[u8]) -> Result<Option<Self>> {
        let text = String::from_utf8_lossy(bytes);
        let mut problem = None;
        let key_blocks = pem::blocks(&text)
            .into_iter()
            .filter(|b| b.label.ends_with("PRIVATE KEY"));
        for (index, block) in key_blocks.enumerate() {
            if index == MAX_KEY_BLOCKS {
                problem = Some(
                    "none of its first private key blocks is usable, and no key file holds more",
                );
                break;
            }
            if block.encrypted || block.label == "ENCRYPTED PRIVATE KEY" {
                problem = Some("the private key is protected by a password; export it without one");
                continue;
            }
            let Some(der) = block.der.map(Zeroizing::new) else {
                problem = Some("the private key block is damaged (its base64 does not decode)");
                continue;
            };
            match Self::from_der(&der) {
                Some(key) => return Ok(Some(key)),
                None => problem = Some("the private key block is damaged"),
            }
        }
        match problem {
            Some(detail) => Err(Error::InvalidKey {
                detail: detail.to_owned(),
            }),
            None => Ok(None),
        }
    }

    /// Tries the specific decoders first: OpenSSL 3's generic decoder costs milliseconds.
    /// OpenSSL only sees a key-sized single DER value: on 1 MiB of nested BER its decoders took
    /// 0.8 to 0.9 s (benches/hostile.rs), our reader's check takes microseconds.
    fn from_der(der: &[u8]) -> Option<Self> {
        if !(MIN_KEY_DER..=MAX_KEY_DER).contains(&der.len()) || !ber::is_one_sequence(der) {
            return None;
        }
        let key = Rsa::private_key_from_der(der)
            .ok()
            .and_then(|rsa| PKey::from_rsa(rsa).ok())
            .or_else(|| PKey::private_key_from_pkcs8(der).ok())
            .or_else(|| PKey::private_key_from_der(der).ok())?;
        Some(Self { key })
    }

    /// Reads a private key that may be protected by a password: a legacy encrypted PEM
    /// (`Proc-Type: 4,ENCRYPTED`) or an `ENCRYPTED PRIVATE KEY` (PKCS#8). Without a password,
    /// or for an unprotected key, this is [`PrivateKey::from_bytes`].
    ///
    /// # Errors
    /// [`Error::WrongPassword`] when the password does not open the key; [`Error::KeyRequired`]
    /// when the key is protected and no password was given; as [`PrivateKey::from_bytes`].
    pub fn from_bytes_with_password(bytes: &[u8], password: Option<&str>) -> Result<Self> {
        if bytes.len() > crate::error::MAX_FILE_SIZE {
            return Err(Error::TooLarge { size: bytes.len() });
        }
        let text = String::from_utf8_lossy(bytes);
        let encrypted = pem::blocks(&text).into_iter().any(|b| {
            b.label.ends_with("PRIVATE KEY") && (b.encrypted || b.label == "ENCRYPTED PRIVATE KEY")
        });
        if !encrypted {
            return Self::from_bytes(bytes);
        }
        let Some(password) = password else {
            return Err(Error::KeyRequired {
                what: "this password-protected private key".to_owned(),
                hint: "give its password".to_owned(),
            });
        };
        // OpenSSL wants the PEM block alone: cut it out of a bundle.
        let start = text.find("-----BEGIN").unwrap_or(0);
        let block: String = text[start..]
            .split_inclusive('\n')
            .scan(false, |inside, line| {
                if line.starts_with("-----BEGIN") {
                    *inside = line.contains("PRIVATE KEY");
                }
                let keep = *inside;
                if line.starts_with("-----END") {
                    *inside = false;
                }
                Some(keep.then(|| line.to_owned()))
            })
            .flatten()
            .collect();
        let block = Zeroizing::new(block.into_bytes());
        PKey::private_key_from_pem_passphrase(&block, password.as_bytes())
            .map(|key| Self { key })
            .map_err(|_| Error::WrongPassword {
                what: "the private key".to_owned(),
            })
    }

    /// The openssl key, for signing and exports inside the core.
    pub(crate) fn pkey(&self) -> &PKey<Private> {
        &self.key
    }

    /// Wraps a key made by openssl (key generation, tests).
    pub fn from_pkey(key: PKey<Private>) -> Self {
        Self { key }
    }

    /// The DER SubjectPublicKeyInfo of the public half.
    pub fn public_key_der(&self) -> Option<Vec<u8>> {
        self.key.public_key_to_der().ok()
    }

    /// Size of the key in bits.
    pub fn bits(&self) -> u32 {
        self.key.bits()
    }

    /// RSA PKCS#1 v1.5 decryption (CMS key transport). `None` when the key is not RSA or the
    /// ciphertext does not decrypt with it.
    pub(crate) fn rsa_pkcs1_decrypt(&self, ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let rsa = self.key.rsa().ok()?;
        let size = usize::try_from(rsa.size()).ok()?;
        if ciphertext.len() != size {
            return None;
        }
        let mut out = Zeroizing::new(vec![0u8; size]);
        let n = rsa
            .private_decrypt(ciphertext, &mut out, Padding::PKCS1)
            .ok()?;
        out.truncate(n);
        Some(out)
    }

    /// The PKCS#8 PEM of the key, for the keychain and exports the user asked for.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<Vec<u8>>> {
        self.key
            .private_key_to_pem_pkcs8()
            .map(Zeroizing::new)
            .map_err(|_| Error::InvalidKey {
                detail: "the key cannot be written as PKCS#8".to_owned(),
            })
    }
}
