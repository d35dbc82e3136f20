//! Reading a credential file from disk with the size limit: a shell (the desktop app, the command
//! line) hands the bytes to the core and never reads more than [`MAX_FILE_SIZE`] of a file the
//! user picked, whatever it is (a video, `/dev/zero`). Writing what the user asked to save: a
//! public file (CSR, certificate, signed request) or one holding key material (owner-only).

use std::io::Read;
use std::path::Path;

use crate::error::{Error, MAX_FILE_SIZE, Result};

/// Reads the file at `path`, refusing anything larger than any Apple credential.
///
/// At most [`MAX_FILE_SIZE`] + 1 bytes are read, so an endless device or a huge file costs no
/// memory.
///
/// # Errors
/// [`Error::TooLarge`] past [`MAX_FILE_SIZE`]; [`Error::Io`] when the file cannot be opened or
/// read (missing, a folder, no permission).
pub fn read_credential_file(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let declared = file.metadata().map_err(io)?.len();
    let limit = u64::try_from(MAX_FILE_SIZE).unwrap_or(u64::MAX);
    // Room for the whole file up front: no reallocation leaves copies of a key behind.
    let expected = usize::try_from(declared.min(limit)).unwrap_or(MAX_FILE_SIZE);
    let mut bytes = Vec::with_capacity(expected.saturating_add(1));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > MAX_FILE_SIZE {
        let size = declared.max(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
        return Err(Error::TooLarge {
            size: usize::try_from(size).unwrap_or(usize::MAX),
        });
    }
    Ok(bytes)
}

/// Writes a file that holds key material (an export, a backup): readable by the owner only.
///
/// # Errors
/// [`Error::Io`] when it cannot be written.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    #[cfg(unix)]
    {
        // An existing file keeps its mode on open: narrow it before writing.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)
}

/// Writes a public file (a CSR, a certificate, a signed request).
///
/// # Errors
/// [`Error::Io`] when it cannot be written.
pub fn write_public(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_small_files_and_refuses_large_ones() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small.pem");
        std::fs::write(&small, b"hello").unwrap();
        assert_eq!(read_credential_file(&small).unwrap(), b"hello");

        let exact = dir.path().join("exact.bin");
        std::fs::write(&exact, vec![0u8; MAX_FILE_SIZE]).unwrap();
        assert_eq!(read_credential_file(&exact).unwrap().len(), MAX_FILE_SIZE);

        let large = dir.path().join("large.bin");
        std::fs::write(&large, vec![0u8; MAX_FILE_SIZE + 10]).unwrap();
        let err = read_credential_file(&large).unwrap_err();
        assert!(matches!(err, Error::TooLarge { size } if size == MAX_FILE_SIZE + 10));
        assert_eq!(err.kind(), "too_large");
    }

    #[test]
    fn missing_files_and_folders_are_io_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = read_credential_file(&dir.path().join("nope.pem")).unwrap_err();
        assert_eq!(missing.kind(), "io");
        assert!(missing.to_string().contains("nope.pem"));
        assert_eq!(read_credential_file(dir.path()).unwrap_err().kind(), "io");
    }

    #[cfg(unix)]
    #[test]
    fn endless_devices_stop_at_the_limit() {
        let err = read_credential_file(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err.kind(), "too_large");
    }
}
