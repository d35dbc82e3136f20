//! What the idle app is spared on Linux: WebKitGTK's memory-pressure monitor. It is a thread of
//! the app's own process that reads the system's free memory every five seconds for the life of
//! the app, window shown or not, and messages the web process as it goes. Measured with
//! `npm run bench:idle` (a debug build, the window open, nothing happening): in 60 s its thread
//! woke 12-13 times and the web process's main thread 3; with the monitor off, in 120 s, only
//! the app's main thread (3) and the scheduler (2, once a minute) woke, and nothing in WebKit's
//! processes.
//!
//! What it would do is tell the web process to drop its caches when the system runs short of
//! memory. TokenKeeper's one page holds a window of rows at a time (the shell keeps the rest),
//! and its web process stays near 120 MiB whatever the vault's size: not worth a wake-up every
//! five seconds on every laptop that keeps TokenKeeper in its tray.
//!
//! The user decides first: `WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR` set (WebKit takes any value
//! as "off") is left alone, and `TOKENKEEPER_MEMORY_MONITOR=on` keeps WebKit's monitor.

/// WebKitGTK's own switch: set, with any value, the monitor does not start.
pub const WEBKIT_SWITCH: &str = "WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR";
/// TokenKeeper's override: `on` keeps WebKit's monitor.
pub const OVERRIDE: &str = "TOKENKEEPER_MEMORY_MONITOR";

/// Whether to turn WebKit's monitor off; `env` reads the environment.
pub fn monitor_off(env: impl Fn(&str) -> Option<String>) -> bool {
    env(WEBKIT_SWITCH).is_none()
        && !env(OVERRIDE).is_some_and(|v| v.trim().eq_ignore_ascii_case("on"))
}

/// Chooses for this process, before GTK or WebKit start.
///
/// # Safety
/// Changes the environment: no other thread may be running (call it first thing in `main`).
#[allow(unsafe_code)]
pub unsafe fn choose() {
    if monitor_off(|name| std::env::var(name).ok()) {
        // SAFETY: the caller guarantees this process has a single thread.
        unsafe { std::env::set_var(WEBKIT_SWITCH, "1") };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn off_unless_the_user_decided() {
        assert!(monitor_off(env(&[])));
        assert!(monitor_off(env(&[(OVERRIDE, "off")])));
        assert!(monitor_off(env(&[(OVERRIDE, "")])));
        assert!(!monitor_off(env(&[(OVERRIDE, "on")])));
        assert!(!monitor_off(env(&[(OVERRIDE, " ON ")])));
        // Already set either way: WebKit reads it as it is.
        assert!(!monitor_off(env(&[(WEBKIT_SWITCH, "1")])));
        assert!(!monitor_off(env(&[(WEBKIT_SWITCH, "")])));
    }
}
