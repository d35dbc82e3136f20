//! Light or dark as the desktop says (the settings portal's `org.freedesktop.appearance`
//! `color-scheme`), read before the window shows and followed while the app runs.
//!
//! Tao does this itself when Tauri's `dbus` feature is on, but its listener polls its D-Bus
//! connection with a five-second timeout: a wake-up every five seconds for the life of the app,
//! window closed or not. The feature is off (see the workspace's Cargo.toml) and this listener
//! blocks until the bus has something for it, waking once an hour otherwise. It sets the same
//! GTK preference tao set, through Tauri (`AppHandle::set_theme`), which WebKit's
//! `prefers-color-scheme` follows.

use std::thread::JoinHandle;
use std::time::Duration;

use dbus::arg::Variant;
use dbus::blocking::Connection;
use dbus::message::MatchRule;
use tauri::Theme;

const PORTAL: &str = "org.freedesktop.portal.Desktop";
const PORTAL_PATH: &str = "/org/freedesktop/portal/desktop";
const SETTINGS: &str = "org.freedesktop.portal.Settings";
const APPEARANCE: &str = "org.freedesktop.appearance";
const COLOR_SCHEME: &str = "color-scheme";
/// How long the portal may take to answer the first read (it may be started on demand).
const READ_TIMEOUT: Duration = Duration::from_secs(2);
/// How long the listener sleeps when nothing comes: a signal wakes it at once.
const IDLE_WAIT: Duration = Duration::from_secs(3600);

/// The theme for the portal's `color-scheme`: 1 prefers dark; 2 (prefers light) and 0 (no
/// preference) are light.
pub fn theme_of(color_scheme: u32) -> Theme {
    if color_scheme == 1 {
        Theme::Dark
    } else {
        Theme::Light
    }
}

/// A connection to the session bus, to ask the settings portal and hear from it.
pub struct Portal {
    bus: Connection,
}

impl Portal {
    /// Connects to the session bus.
    ///
    /// # Errors
    /// There is no session bus.
    pub fn connect() -> Result<Self, dbus::Error> {
        Ok(Self {
            bus: Connection::new_session()?,
        })
    }

    /// The theme the desktop prefers now; `None` without a settings portal (or without the
    /// setting), when the app keeps GTK's own theme.
    pub fn theme(&self) -> Option<Theme> {
        let portal = self.bus.with_proxy(PORTAL, PORTAL_PATH, READ_TIMEOUT);
        // `Read` wraps the value in a second variant (kept so by the portal for compatibility).
        let (value,): (Variant<Variant<u32>>,) = portal
            .method_call(SETTINGS, "Read", (APPEARANCE, COLOR_SCHEME))
            .ok()?;
        Some(theme_of((value.0).0))
    }

    /// Calls `changed` with each new theme the portal announces, on a thread of its own, for as
    /// long as the bus is there. Other settings' changes wake the thread and are passed over.
    ///
    /// # Errors
    /// The bus refuses the subscription, or the thread cannot start.
    pub fn follow(
        self,
        mut changed: impl FnMut(Theme) + Send + 'static,
    ) -> std::io::Result<JoinHandle<()>> {
        let rule = MatchRule::new_signal(SETTINGS, "SettingChanged");
        self.bus
            .add_match(rule, move |(): (), _, message| {
                let mut args = message.iter_init();
                let namespace = args.read::<&str>();
                let key = args.read::<&str>();
                let value = args.read::<Variant<u32>>();
                if let (Ok(APPEARANCE), Ok(COLOR_SCHEME), Ok(value)) = (namespace, key, value) {
                    changed(theme_of(value.0));
                }
                true
            })
            .map_err(std::io::Error::other)?;
        std::thread::Builder::new()
            .name("theme".into())
            .spawn(move || {
                loop {
                    if let Err(e) = self.bus.process(IDLE_WAIT) {
                        eprintln!("tokenkeeper: stopped following the desktop's theme: {e}");
                        break;
                    }
                }
            })
    }
}

/// Applies the desktop's theme now (before the window shows) and follows its changes.
pub fn follow_desktop<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    let Ok(portal) = Portal::connect() else {
        return;
    };
    if let Some(theme) = portal.theme() {
        app.set_theme(Some(theme));
    }
    let app = app.clone();
    if let Err(e) = portal.follow(move |theme| app.set_theme(Some(theme))) {
        eprintln!("tokenkeeper: cannot follow the desktop's theme: {e}");
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests")]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    use std::sync::mpsc;

    use dbus::Message;
    use dbus::blocking::SyncConnection;
    use dbus::channel::{MatchingReceiver, Sender};

    use super::*;

    /// A settings portal on the test's session bus (the tests run inside `dbus-run-session`):
    /// answers `Read` for the color scheme with `scheme`, and announces what it is told to.
    struct FakePortal {
        bus: Arc<SyncConnection>,
        scheme: Arc<AtomicU32>,
        stop: Arc<AtomicBool>,
        serving: Option<JoinHandle<()>>,
    }

    impl FakePortal {
        fn start(scheme: u32) -> Self {
            let bus = SyncConnection::new_session().unwrap();
            bus.request_name(PORTAL, false, true, true).unwrap();
            let scheme = Arc::new(AtomicU32::new(scheme));
            let answer = Arc::clone(&scheme);
            bus.start_receive(
                MatchRule::new_method_call(),
                Box::new(move |call, bus| {
                    let asked: (Option<&str>, Option<&str>) = call.get2();
                    let reply = if call.member().as_deref() == Some("Read")
                        && asked == (Some(APPEARANCE), Some(COLOR_SCHEME))
                    {
                        let value = answer.load(Ordering::SeqCst);
                        call.method_return().append1(Variant(Variant(value)))
                    } else {
                        call.error(
                            &"org.freedesktop.portal.Error.NotFound".into(),
                            c"no such setting",
                        )
                    };
                    let _ = bus.send(reply);
                    true
                }),
            );
            let bus = Arc::new(bus);
            let stop = Arc::new(AtomicBool::new(false));
            let serving = {
                let (bus, stop) = (Arc::clone(&bus), Arc::clone(&stop));
                std::thread::spawn(move || {
                    while !stop.load(Ordering::SeqCst) {
                        bus.process(Duration::from_millis(20)).unwrap();
                    }
                })
            };
            Self {
                bus,
                scheme,
                stop,
                serving: Some(serving),
            }
        }

        fn announce(&self, namespace: &str, key: &str, value: u32) {
            let signal = Message::new_signal(PORTAL_PATH, SETTINGS, "SettingChanged")
                .unwrap()
                .append3(namespace, key, Variant(value));
            self.bus.send(signal).unwrap();
        }
    }

    impl Drop for FakePortal {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            if let Some(serving) = self.serving.take() {
                let _ = serving.join();
            }
            let _ = self.bus.release_name(PORTAL);
        }
    }

    #[test]
    fn color_schemes_map_to_themes() {
        assert_eq!(theme_of(0), Theme::Light);
        assert_eq!(theme_of(1), Theme::Dark);
        assert_eq!(theme_of(2), Theme::Light);
        assert_eq!(theme_of(7), Theme::Light);
    }

    // One test for the bus's one portal name: reading, then following, then no portal at all.
    #[test]
    fn reads_the_portals_theme_and_follows_its_changes() {
        let fake = FakePortal::start(1);
        let portal = Portal::connect().unwrap();
        assert_eq!(portal.theme(), Some(Theme::Dark));
        fake.scheme.store(2, Ordering::SeqCst);
        assert_eq!(portal.theme(), Some(Theme::Light));

        let (tx, rx) = mpsc::channel();
        portal.follow(move |theme| tx.send(theme).unwrap()).unwrap();
        let wait = Duration::from_secs(10);
        // Another setting's change is passed over; the color scheme's are heard, in order.
        fake.announce(APPEARANCE, "accent-color", 0);
        fake.announce("org.gnome.desktop.interface", COLOR_SCHEME, 0);
        fake.announce(APPEARANCE, COLOR_SCHEME, 1);
        assert_eq!(rx.recv_timeout(wait).unwrap(), Theme::Dark);
        fake.announce(APPEARANCE, COLOR_SCHEME, 0);
        assert_eq!(rx.recv_timeout(wait).unwrap(), Theme::Light);
        assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());

        drop(fake);
        let alone = Portal::connect().unwrap();
        assert_eq!(alone.theme(), None, "no portal: GTK's own theme is kept");
    }
}
