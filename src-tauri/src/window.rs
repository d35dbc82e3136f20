//! The main window: shown and focused from the tray, a notification or a second launch; hidden
//! (not closed) by its close button so reminders keep coming; told which credential or which
//! opened files to bring up.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewWindow, WindowEvent};

/// The window's label in `tauri.conf.json`.
pub const MAIN: &str = "main";
/// Event the UI listens to: open this credential (payload: its uid).
pub const OPEN_CREDENTIAL: &str = "open-credential";
/// Event the UI listens to: files were opened with the app; it takes them with
/// `take_opened_files`.
pub const FILES_OPENED: &str = "files-opened";
/// Event the UI listens to: the data changed outside the window (the command line, a scheduled
/// check): reload what is shown.
pub const VAULT_CHANGED: &str = "vault-changed";
/// Passed by the login item: start in the tray, without showing the window.
pub const HIDDEN_ARG: &str = "--hidden";

/// Files opened with the app (command line, file association, a second launch), waiting for
/// the UI to take them. Kept here rather than only sent as an event: at start the UI is not
/// listening yet.
#[derive(Debug, Default)]
pub struct OpenedFiles(Mutex<Vec<PathBuf>>);

impl OpenedFiles {
    /// Queues files for the UI.
    pub fn push(&self, files: impl IntoIterator<Item = PathBuf>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(files);
    }

    /// Hands the queued files over, once.
    pub fn take(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The files named on a command line (`tokenkeeper-app FILE...`), made absolute against `cwd`;
/// flags are skipped.
pub fn files_in_args(args: &[String], cwd: &std::path::Path) -> Vec<PathBuf> {
    args.iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .filter_map(|a| {
            // A file manager may pass a `file://` URL, percent-encoded.
            let p = if a.starts_with("file://") {
                tauri::Url::parse(a).ok()?.to_file_path().ok()?
            } else {
                PathBuf::from(a)
            };
            Some(if p.is_absolute() { p } else { cwd.join(p) })
        })
        .collect()
}

fn main_window<R: Runtime>(app: &AppHandle<R>) -> Option<WebviewWindow<R>> {
    app.get_webview_window(MAIN)
}

/// Shows, restores and focuses the main window.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = main_window(app) {
        let shown = w
            .show()
            .and_then(|()| w.unminimize())
            .and_then(|()| w.set_focus());
        if let Err(e) = shown {
            eprintln!("tokenkeeper: cannot show the window: {e}");
        }
    }
}

/// Shows the window on one credential.
pub fn open_credential<R: Runtime>(app: &AppHandle<R>, uid: &str) {
    show_main(app);
    if let Err(e) = app.emit_to(MAIN, OPEN_CREDENTIAL, uid) {
        eprintln!("tokenkeeper: cannot open the credential: {e}");
    }
}

/// Queues files opened with the app and brings them up in the window.
pub fn open_files<R: Runtime>(app: &AppHandle<R>, files: Vec<PathBuf>) {
    if files.is_empty() {
        return;
    }
    app.state::<OpenedFiles>().push(files);
    show_main(app);
    if let Err(e) = app.emit_to(MAIN, FILES_OPENED, ()) {
        eprintln!("tokenkeeper: cannot hand the opened files to the window: {e}");
    }
}

/// Tells the window the data changed under it.
pub fn vault_changed<R: Runtime>(app: &AppHandle<R>) {
    // Nobody listening (window never loaded) is fine.
    let _ = app.emit_to(MAIN, VAULT_CHANGED, ());
}

/// The close button hides the window: TokenKeeper keeps running in the tray. Quit is in the
/// tray menu (and the app menu on macOS).
pub fn keep_running_when_closed<R: Runtime>(window: &tauri::Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event
        && window.label() == MAIN
    {
        api.prevent_close();
        if let Err(e) = window.hide() {
            eprintln!("tokenkeeper: cannot hide the window: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn files_on_the_command_line_become_absolute_and_flags_are_skipped() {
        let args: Vec<String> = [
            "tokenkeeper-app",
            "--hidden",
            "token.vpptoken",
            "/tmp/MDM.pem",
            "file:///tmp/a_smime.p7m",
            "file:///home/tech/My%20Tokens/Acme%20Inc.vpptoken",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        assert_eq!(
            files_in_args(&args, Path::new("/home/tech/Downloads")),
            vec![
                PathBuf::from("/home/tech/Downloads/token.vpptoken"),
                PathBuf::from("/tmp/MDM.pem"),
                PathBuf::from("/tmp/a_smime.p7m"),
                PathBuf::from("/home/tech/My Tokens/Acme Inc.vpptoken"),
            ]
        );
    }

    #[test]
    fn opened_files_are_handed_over_once() {
        let q = OpenedFiles::default();
        q.push([PathBuf::from("/a"), PathBuf::from("/b")]);
        assert_eq!(q.take().len(), 2);
        assert!(q.take().is_empty());
    }
}
