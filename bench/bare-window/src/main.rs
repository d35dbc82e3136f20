//! An empty Tauri window with the same Tauri version and features as TokenKeeper: what
//! `scripts/app-bench.sh` compares TokenKeeper's cold start and idle memory with.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;

fn main() -> ExitCode {
    match tauri::Builder::default().run(tauri::generate_context!()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
