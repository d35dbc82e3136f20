//! The TokenKeeper desktop app.
// No console window beside the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

const USAGE: &str = "usage: tokenkeeper-app [--hidden] [FILE...]

Opens TokenKeeper. Each FILE (an APNs certificate .pem, an ADE token _smime.p7m, an Apps and
Books .vpptoken) is recognised and shown for confirmation, as if dropped on the window; with
TokenKeeper already running, the files go to it. --hidden starts in the tray (as at login).
The `tokenkeeper` command line does the same from scripts.";

fn main() -> ExitCode {
    // Answered before any window or bus is touched: packaging checks and scripts call these.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version" || a == "-V") {
        println!("TokenKeeper {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    // SAFETY: first thing the app does; no other thread runs yet.
    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    unsafe {
        tokenkeeper_app::rendering::choose();
        tokenkeeper_app::jit::choose();
    }
    // SAFETY: still before any other thread.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    unsafe {
        tokenkeeper_app::arenas::limit();
    }
    match tokenkeeper_app::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
