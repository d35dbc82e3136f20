//! Native notifications through notify-rust: the title names the client and the credential, the
//! body says what to do. On Linux and the BSDs (the freedesktop D-Bus service) a click on the
//! notification opens the app on that credential; elsewhere the notification only informs.

use tokenkeeper_core::reminders::Notification;

use super::scheduler::Deliver;

/// The app name notification servers show and group by.
pub const APP_NAME: &str = "TokenKeeper";
/// The action a click on the notification's body invokes (freedesktop's "default").
pub const OPEN_ACTION: &str = "default";

/// Shows notifications natively; `on_click` receives the credential to open.
pub struct Native<F> {
    on_click: F,
}

impl<F> Native<F>
where
    F: Fn(String) + Clone + Send + 'static,
{
    /// A notifier that calls `on_click` with the credential's uid when the user clicks.
    pub fn new(on_click: F) -> Self {
        Self { on_click }
    }
}

/// The notification as notify-rust builds it (shared by the app and the tests).
pub fn build(n: &Notification) -> notify_rust::Notification {
    let mut native = notify_rust::Notification::new();
    native
        .appname(APP_NAME)
        .summary(&n.title)
        .body(&n.body)
        .icon("tokenkeeper-app");
    if n.open_uid.is_some() {
        native.action(OPEN_ACTION, "Open in TokenKeeper");
    }
    native
}

impl<F> Deliver for Native<F>
where
    F: Fn(String) + Clone + Send + 'static,
{
    fn deliver(&self, n: &Notification) -> Result<(), String> {
        let handle = build(n).show().map_err(|e| e.to_string())?;
        watch_click(handle, n.open_uid.clone(), self.on_click.clone());
        Ok(())
    }
}

/// Waits, on a thread of its own, for the user to click (or dismiss) the notification.
#[cfg(all(unix, not(target_os = "macos")))]
fn watch_click<F>(handle: notify_rust::NotificationHandle, uid: Option<String>, on_click: F)
where
    F: Fn(String) + Send + 'static,
{
    let Some(uid) = uid else { return };
    let spawned = std::thread::Builder::new()
        .name("notification-click".to_owned())
        .spawn(move || {
            handle.wait_for_action(|action| {
                if action == OPEN_ACTION {
                    on_click(uid);
                }
            });
        });
    if let Err(e) = spawned {
        eprintln!("tokenkeeper: cannot wait for a click on the notification: {e}");
    }
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn watch_click<H, F>(_handle: H, _uid: Option<String>, _on_click: F) {}
