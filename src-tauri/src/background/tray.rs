//! The tray icon: its badge shows the worst state (all well, attention, critical), its tooltip the
//! counts, its menu Open, the most urgent credentials, Check now, Snooze and Quit.

use tauri::image::Image;
use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};
use tokenkeeper_core::overview::{Level, Overview};

use crate::state::{VaultState, Wake};
use crate::window;

const TRAY_ID: &str = "main";
const OPEN: &str = "open";
const CHECK: &str = "check";
const SNOOZE: &str = "snooze";
const QUIT: &str = "quit";
const CREDENTIAL_PREFIX: &str = "credential:";

/// The icon for a level, from `icons/tray/` (drawn by `icons/tray/draw.py`).
fn icon(level: Level) -> tauri::Result<Image<'static>> {
    let bytes: &'static [u8] = match level {
        Level::AllWell => include_bytes!("../../../icons/tray/all_well.png"),
        Level::Attention => include_bytes!("../../../icons/tray/attention.png"),
        Level::Critical => include_bytes!("../../../icons/tray/critical.png"),
    };
    Image::from_bytes(bytes)
}

/// Creates the tray icon, all well until the first pass says otherwise.
///
/// # Errors
/// The platform has no tray, or the menu cannot be built.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<TrayIcon<R>> {
    let start = Overview::of(&[], tokenkeeper_core::Thresholds::default(), 0);
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(Level::AllWell)?)
        .tooltip("TokenKeeper")
        .menu(&menu(app, &start, true)?)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| on_menu(app, event.id().as_ref()))
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                window::show_main(tray.app_handle());
            }
        })
        .build(app)
}

/// Brings the tray up to date with a pass of the scheduler.
pub fn update<R: Runtime>(app: &AppHandle<R>, overview: &Overview) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let result = icon(overview.level)
        .and_then(|i| tray.set_icon(Some(i)))
        .and_then(|()| tray.set_tooltip(Some(overview.tooltip())))
        .and_then(|()| menu(app, overview, false))
        .and_then(|m| tray.set_menu(Some(m)));
    if let Err(e) = result {
        eprintln!("tokenkeeper: tray not updated: {e}");
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, o: &Overview, starting: bool) -> tauri::Result<Menu<R>> {
    let mut menu = MenuBuilder::new(app)
        .text(OPEN, "Open TokenKeeper")
        .separator();
    if starting || o.urgent.is_empty() {
        let line = if starting {
            "Reading the vault…".to_owned()
        } else {
            summary_line(o)
        };
        menu = menu.item(&MenuItemBuilder::new(line).enabled(false).build(app)?);
    }
    for u in &o.urgent {
        menu = menu.text(format!("{CREDENTIAL_PREFIX}{}", u.uid), &u.text);
    }
    menu.separator()
        .text(CHECK, "Check now")
        .text(SNOOZE, "Snooze reminders for a day")
        .separator()
        .text(QUIT, "Quit TokenKeeper")
        .build()
}

fn summary_line(o: &Overview) -> String {
    match o.total() {
        0 => "No credentials yet".to_owned(),
        n => format!("All {n} credentials active"),
    }
}

fn on_menu<R: Runtime>(app: &AppHandle<R>, id: &str) {
    match id {
        OPEN => window::show_main(app),
        CHECK => app.state::<VaultState>().bell().ring(Wake::CheckNow),
        SNOOZE => {
            let now = chrono::Utc::now();
            let snoozed = app
                .state::<VaultState>()
                .lock()
                .snooze_until(now + chrono::Duration::days(1), now);
            if let Err(e) = snoozed {
                eprintln!("tokenkeeper: snooze failed: {e}");
            }
            app.state::<VaultState>().bell().ring(Wake::MaybeChanged);
        }
        QUIT => app.exit(0),
        other => {
            if let Some(uid) = other.strip_prefix(CREDENTIAL_PREFIX) {
                window::open_credential(app, uid);
            }
        }
    }
}
