//! What the fuzz targets share: the throwaway key the seed server tokens are encrypted to (so
//! the fuzzer reaches decryption and the message reader) and the seed backups' passphrase.

use std::sync::OnceLock;

use tokenkeeper_core::PrivateKey;

/// Passphrase of the seed backups (`fuzz/corpus/backup/`).
pub const BACKUP_PASSPHRASE: &str = "fuzzing passphrase";

/// A throwaway RSA-2048 key minted for fuzzing by the seed generator; it protects nothing.
const KEY_PEM: &[u8] = include_bytes!("../fuzz-key.pem");

/// The key the seed server tokens and push certificates were made with.
pub fn key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::from_bytes(KEY_PEM).expect("fuzz/fuzz-key.pem is a valid key"))
}
