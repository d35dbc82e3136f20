//! Backup files as `restore` opens them. The first byte chooses the layer: even, the decrypted
//! tar archive (manifest, database image, keychain entries); odd, the whole age file opened with
//! the seeds' passphrase and scrypt work capped low, so every input stays fast.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secrecy::SecretString;
use tokenkeeper_core::vault::{open_for_fuzzing, unpack_for_fuzzing};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        std::hint::black_box(unpack_for_fuzzing(rest).ok());
    } else {
        let passphrase = SecretString::from(tokenkeeper_fuzz::BACKUP_PASSPHRASE);
        std::hint::black_box(open_for_fuzzing(rest, &passphrase, Some(4)).ok());
    }
});
