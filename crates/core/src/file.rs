//! Reading a file the user named, bounded: a shell (the desktop app, the command line) hands the
//! bytes to the core and never reads more than [`MAX_FILE_SIZE`] of a file the user picked,
//! whatever it is (a video, `/dev/zero`, a FIFO): only regular files are read. Writing what the user asked to save: a
//! public file (CSR, certificate, signed request) or one holding key material (owner-only).

use std::fs::{File, FileType, Metadata};
use std::io::Read;
use std::path::Path;

use crate::error::{Error, MAX_FILE_SIZE, Result};

/// Reads the credential, key or certificate file at `path`, refusing anything larger than any
/// Apple credential. See [`read_regular_file`].
///
/// # Errors
/// As [`read_regular_file`], with the limit [`MAX_FILE_SIZE`].
pub fn read_credential_file(path: &Path) -> Result<Vec<u8>> {
    read_regular_file(path, u64::try_from(MAX_FILE_SIZE).unwrap_or(u64::MAX))
}

/// Reads the regular file at `path` (symbolic links followed), of at most `limit` bytes: the one
/// reader for every file a user names (credentials, keys, passphrase files, backups).
///
/// Devices, FIFOs, sockets and folders are refused from their metadata before anything is read,
/// so `/dev/zero` costs no memory and a FIFO without a writer cannot hang. On unix the file is
/// opened non-blocking and the opened handle checked again, so a FIFO swapped in after the first
/// check cannot hang either. At most `limit` + 1 bytes are ever read.
///
/// # Errors
/// [`Error::Io`] when the path is not a regular file (saying what it is) or cannot be opened or
/// read; [`Error::TooLarge`] past `limit`.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    ensure_regular(path, &std::fs::metadata(path).map_err(io)?)?;
    let file = open_non_blocking(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    ensure_regular(path, &metadata)?;
    let declared = metadata.len();
    if declared > limit {
        return Err(too_large(declared));
    }
    // Room for the whole file up front: no reallocation leaves copies of a key behind.
    let expected = usize::try_from(declared).unwrap_or(0);
    let mut bytes = Vec::with_capacity(expected.saturating_add(1));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        // The file grew after the check (or its size was not known): refuse what was read.
        return Err(too_large(declared.max(read)));
    }
    Ok(bytes)
}

fn too_large(size: u64) -> Error {
    Error::TooLarge {
        size: usize::try_from(size).unwrap_or(usize::MAX),
    }
}

/// Opens for reading without waiting for a writer: on a FIFO a blocking open waits forever.
/// Reads from a regular file are not affected by the flag.
fn open_non_blocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Refuses what is not a regular file, naming what it is and what to do instead.
fn ensure_regular(path: &Path, metadata: &Metadata) -> Result<()> {
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return Ok(());
    }
    let what = describe(&file_type);
    Err(Error::Io {
        path: path.display().to_string(),
        source: std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{what}, not a file: {}", advice(&file_type)),
        ),
    })
}

fn describe(file_type: &FileType) -> &'static str {
    if file_type.is_dir() {
        return "this is a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "this is a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "this is a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "this is a device";
        }
    }
    "this is a special file"
}

fn advice(file_type: &FileType) -> &'static str {
    if file_type.is_dir() {
        "choose the credential file inside it"
    } else {
        "save the credential to a file first and choose that file"
    }
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
    fn devices_are_refused_before_reading() {
        for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            let err = read_credential_file(Path::new(device)).unwrap_err();
            assert_eq!(err.kind(), "io", "{device}: {err}");
            let text = err.to_string();
            assert!(text.contains(device), "{text}");
            assert!(text.contains("a device, not a file"), "{text}");
            assert!(
                text.contains("save the credential to a file first"),
                "{text}"
            );
        }
    }

    #[test]
    fn folders_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_credential_file(dir.path()).unwrap_err();
        assert_eq!(err.kind(), "io");
        assert!(err.to_string().contains("a folder, not a file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_without_writer_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("token.p7m");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // Run on a thread so that a regression fails the test instead of hanging it.
        let (tx, rx) = std::sync::mpsc::channel();
        let path = fifo.clone();
        std::thread::spawn(move || tx.send(read_credential_file(&path).map(|b| b.len())));
        let result = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("reading a FIFO without a writer must not hang");
        let err = result.unwrap_err();
        assert_eq!(err.kind(), "io");
        assert!(err.to_string().contains("FIFO"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_to_files_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.pem");
        std::fs::write(&target, b"hello").unwrap();
        let link = dir.path().join("link.pem");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(read_credential_file(&link).unwrap(), b"hello");
        let to_device = dir.path().join("zero.pem");
        std::os::unix::fs::symlink("/dev/zero", &to_device).unwrap();
        assert_eq!(read_credential_file(&to_device).unwrap_err().kind(), "io");
    }

    #[test]
    fn a_larger_limit_reads_larger_files() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("backup.age");
        std::fs::write(&big, vec![1u8; MAX_FILE_SIZE + 10]).unwrap();
        let limit = u64::try_from(MAX_FILE_SIZE * 2).unwrap();
        assert_eq!(
            read_regular_file(&big, limit).unwrap().len(),
            MAX_FILE_SIZE + 10
        );
        assert_eq!(read_regular_file(&big, 4).unwrap_err().kind(), "too_large");
    }
}
