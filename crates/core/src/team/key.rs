//! A technician's team key (age X25519) and what it does: encrypt a shared secret to every
//! member, decrypt one with this member's key.

use std::str::FromStr;

use age::secrecy::ExposeSecret;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A technician's private key: decrypts what the team shares. Kept in the OS keychain only.
pub struct MemberKey(age::x25519::Identity);

impl std::fmt::Debug for MemberKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("MemberKey").field(&self.recipient()).finish()
    }
}

impl MemberKey {
    /// A new random key pair.
    pub fn generate() -> Self {
        Self(age::x25519::Identity::generate())
    }

    /// The key as stored in the keychain (`AGE-SECRET-KEY-1…`).
    pub fn to_secret(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(self.0.to_string().expose_secret().as_bytes().to_vec())
    }

    /// The key read back from the keychain.
    ///
    /// # Errors
    /// [`Error::Tampered`] when the entry does not hold a key.
    pub fn from_secret(secret: &[u8]) -> Result<Self> {
        std::str::from_utf8(secret)
            .ok()
            .and_then(|s| age::x25519::Identity::from_str(s.trim()).ok())
            .map(Self)
            .ok_or_else(|| Error::Tampered {
                message: "the keychain entry of your team key does not hold an age key: remove it and join the team again".to_owned(),
            })
    }

    /// The public half, what the team encrypts to (`age1…`).
    pub fn recipient(&self) -> String {
        self.0.to_public().to_string()
    }
}

/// The keychain account holding the team key a technician uses for the database at
/// `location` (a server URL without its password): one key per team database.
pub fn key_account(location: &str) -> String {
    format!(
        "team-key/{}",
        &crate::token::sha256_hex(location.as_bytes())[..16]
    )
}

/// A short, readable fingerprint of a recipient, to compare aloud before trusting it.
pub fn fingerprint(recipient: &str) -> String {
    let hex = crate::token::sha256_hex(recipient.as_bytes());
    hex.as_bytes()[..20]
        .chunks(4)
        .map(|c| {
            std::str::from_utf8(c)
                .unwrap_or_default()
                .to_ascii_uppercase()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn parse_recipient(recipient: &str) -> Result<age::x25519::Recipient> {
    age::x25519::Recipient::from_str(recipient.trim()).map_err(|e| Error::InvalidInput {
        message: format!(
            "\"{recipient}\" is not a team member's public key ({e}): ask them for the age1… key `tokenkeeper team join` printed"
        ),
    })
}

pub(super) fn encrypt(to: &[age::x25519::Recipient], plaintext: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let failed = |e: &dyn std::fmt::Display| Error::Database {
        detail: format!("encrypting a shared secret failed: {e}"),
    };
    if to.is_empty() {
        return Err(Error::InvalidInput {
            message: "the team has no members to encrypt to: run `tokenkeeper team init` first"
                .to_owned(),
        });
    }
    let encryptor = age::Encryptor::with_recipients(to.iter().map(|r| r as &dyn age::Recipient))
        .map_err(|e| failed(&e))?;
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).map_err(|e| failed(&e))?;
    writer.write_all(plaintext).map_err(|e| failed(&e))?;
    writer.finish().map_err(|e| failed(&e))?;
    Ok(out)
}

pub(super) fn decrypt(
    key: &MemberKey,
    account: &str,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let refused = || Error::KeychainUnavailable {
        detail: format!(
            "the team secret {account} is not readable with your team key: it was written before you joined and no member has opened the team since, or you were removed; ask a member to run `tokenkeeper team members list`"
        ),
    };
    let decryptor = age::Decryptor::new_buffered(ciphertext).map_err(|_| refused())?;
    let mut reader = decryptor
        .decrypt(std::iter::once(&key.0 as &dyn age::Identity))
        .map_err(|_| refused())?;
    let mut out = Zeroizing::new(Vec::new());
    reader.read_to_end(&mut out).map_err(|_| refused())?;
    Ok(out)
}
