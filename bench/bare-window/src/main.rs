//! An empty Tauri window with the same Tauri version and features as TokenKeeper: what
//! `scripts/app-bench.sh` compares TokenKeeper's cold start and idle memory with.
//!
//! With `TOKENKEEPER_BARE_PAGE=floor.html` it opens the benchmark's keystroke floor instead: each
//! keystroke of its search box asks this shell for the first matching rows over IPC and rewrites
//! 17 rows of text, with no framework. It is the least a Tauri window on WebKitGTK needs to do for
//! a keystroke of TokenKeeper's search, measured the same way on the same machine.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::process::ExitCode;
use std::sync::OnceLock;

use serde::Serialize;

/// One row as the floor page shows it: the texts of a dashboard row.
#[derive(Clone, Serialize)]
struct Row {
    client: String,
    title: String,
    detail: String,
    expires: String,
    phrase: String,
    state: &'static str,
}

/// Ten thousand rows made up like TokenKeeper's benchmark data (2,500 clients, 4 each), each
/// with its lowercased search text; built on the first search.
fn rows() -> &'static [(String, Row)] {
    static ROWS: OnceLock<Vec<(String, Row)>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let kinds = [
            "APNs certificate",
            "ADE token · ABM",
            "Apps and Books · Main Street",
            "Apps and Books · Harbour",
        ];
        let states = ["active", "renewal_required", "expired", "lapsed"];
        (0..10_000)
            .map(|i| {
                let row = Row {
                    client: format!("Client {:04}", i / 4),
                    title: kinds[i % 4].to_owned(),
                    detail: format!("com.apple.mgmt.External.{:08x}-{:04x}", i * 7919, i),
                    expires: format!("Expires {} Mar 2027", 1 + i % 28),
                    phrase: format!("in {} days", 10 + i % 300),
                    state: states[(i / 7) % 4],
                };
                let text = format!("{} {} {} {}", row.client, row.title, row.detail, row.state)
                    .to_lowercase();
                (text, row)
            })
            .collect()
    })
}

/// The first `limit` rows whose text holds every word of `search`, and how many match.
#[tauri::command]
async fn search(search: String, limit: usize) -> (usize, Vec<Row>) {
    let words: Vec<String> = search.split_whitespace().map(str::to_lowercase).collect();
    let mut matched = 0;
    let mut out = Vec::with_capacity(limit);
    for (text, row) in rows() {
        if words.iter().all(|w| text.contains(w.as_str())) {
            matched += 1;
            if out.len() < limit {
                out.push(row.clone());
            }
        }
    }
    (matched, out)
}

/// The page the window opens: `index.html` (the bare window), or the one named by
/// `TOKENKEEPER_BARE_PAGE` (the benchmark's `floor.html`). Made here, not in tauri.conf.json, so
/// that both are made the same way.
fn open_window(app: &mut tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let page = std::env::var("TOKENKEEPER_BARE_PAGE").unwrap_or_else(|_| "index.html".to_owned());
    tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::App(page.into()))
        .title("Bare window")
        .inner_size(1200.0, 780.0)
        .build()?;
    Ok(())
}

fn main() -> ExitCode {
    match tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![search])
        .setup(open_window)
        .run(tauri::generate_context!())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
