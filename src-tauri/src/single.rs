//! One TokenKeeper per user session on Linux: the first instance listens on a Unix socket in the
//! user's runtime directory (`$XDG_RUNTIME_DIR`, private to the user); a second launch connects,
//! hands over its command line (the files to open) and exits. The listener blocks in `accept`,
//! so an idle app never wakes for it (the D-Bus based plugin used elsewhere woke twice a second).
//! macOS and Windows use tauri-plugin-single-instance.

use std::io::{self, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The most a second launch may send: a command line of file paths.
const MAX_MESSAGE: u64 = 256 * 1024;

/// What a second launch hands over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Launch {
    /// Its command line, program name first.
    pub args: Vec<String>,
    /// Its working directory, for relative paths.
    pub cwd: PathBuf,
}

/// Who this process is.
#[derive(Debug)]
pub enum Instance {
    /// The first: it owns the socket and must serve it.
    First(UnixListener),
    /// Another instance runs and has received this launch: exit.
    HandedOver,
}

/// Where the socket lives: the runtime directory, else a per-user folder in the temp dir.
pub fn socket_path(identifier: &str) -> PathBuf {
    let dir = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|d| d.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    dir.join(format!("{identifier}.sock"))
}

/// Becomes the first instance, or hands `launch` to the one running.
///
/// # Errors
/// The socket can be neither reached nor created (a read-only runtime directory).
pub fn claim(path: &Path, launch: &Launch) -> io::Result<Instance> {
    if hand_over(path, launch).is_ok() {
        return Ok(Instance::HandedOver);
    }
    // Nobody answers: a socket left by an instance that crashed, or none at all.
    let _ = std::fs::remove_file(path);
    match UnixListener::bind(path) {
        Ok(listener) => {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
            Ok(Instance::First(listener))
        }
        // Another first instance bound it between our two attempts.
        Err(e) if e.kind() == io::ErrorKind::AddrInUse => {
            hand_over(path, launch).map(|()| Instance::HandedOver)
        }
        Err(e) => Err(e),
    }
}

fn hand_over(path: &Path, launch: &Launch) -> io::Result<()> {
    let mut stream = UnixStream::connect(path)?;
    let message = serde_json::to_vec(launch).map_err(io::Error::other)?;
    stream.write_all(&message)?;
    stream.shutdown(std::net::Shutdown::Write)?;
    // Wait for the first instance to have taken it.
    let mut ack = [0u8; 1];
    stream.read_exact(&mut ack)?;
    Ok(())
}

/// Serves second launches on a thread of its own, calling `on_launch` for each.
///
/// # Errors
/// The thread cannot be started.
pub fn serve(
    listener: UnixListener,
    on_launch: impl Fn(Launch) + Send + 'static,
) -> io::Result<()> {
    std::thread::Builder::new()
        .name("single-instance".to_owned())
        .spawn(move || {
            for stream in listener.incoming() {
                match stream.and_then(|s| receive(s, &on_launch)) {
                    Ok(()) => {}
                    Err(e) => eprintln!("tokenkeeper: a second launch was not taken: {e}"),
                }
            }
        })
        .map(|_| ())
}

fn receive(mut stream: UnixStream, on_launch: &impl Fn(Launch)) -> io::Result<()> {
    let mut message = Vec::new();
    (&mut stream).take(MAX_MESSAGE).read_to_end(&mut message)?;
    let launch: Launch = serde_json::from_slice(&message)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not a TokenKeeper launch"))?;
    on_launch(launch);
    stream.write_all(b"1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    fn launch(file: &str) -> Launch {
        Launch {
            args: vec!["tokenkeeper-app".to_owned(), file.to_owned()],
            cwd: PathBuf::from("/home/tech"),
        }
    }

    #[test]
    fn the_second_launch_hands_its_files_to_the_first_and_a_stale_socket_is_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("app.sock");
        // A socket file nobody listens on, as a crashed instance leaves it.
        drop(UnixListener::bind(&path).expect("stale socket"));

        let Instance::First(listener) = claim(&path, &launch("a.pem")).expect("claim") else {
            panic!("the first launch must become the first instance");
        };
        let mode = std::fs::metadata(&path)
            .expect("socket")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the user may hand files over");
        let (tx, rx) = mpsc::channel();
        serve(listener, move |l| {
            let _ = tx.send(l);
        })
        .expect("serve");

        let second = claim(&path, &launch("token.vpptoken")).expect("second claim");
        assert!(matches!(second, Instance::HandedOver));
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(10)).expect("received"),
            launch("token.vpptoken")
        );
    }

    #[test]
    fn garbage_on_the_socket_is_refused_and_the_next_launch_still_lands() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("app.sock");
        let Instance::First(listener) = claim(&path, &launch("a")).expect("claim") else {
            panic!("first");
        };
        let (tx, rx) = mpsc::channel();
        serve(listener, move |l| {
            let _ = tx.send(l);
        })
        .expect("serve");
        let mut junk = UnixStream::connect(&path).expect("connect");
        junk.write_all(b"\x00\xffnot json").expect("write");
        junk.shutdown(std::net::Shutdown::Write).expect("shutdown");
        let mut ack = Vec::new();
        junk.read_to_end(&mut ack).expect("read");
        assert!(ack.is_empty(), "no acknowledgement for garbage");
        assert!(matches!(
            claim(&path, &launch("b")).expect("claim"),
            Instance::HandedOver
        ));
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(10)).expect("b"),
            launch("b")
        );
    }
}
