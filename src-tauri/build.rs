//! Tauri's build step: reads `tauri.conf.json` and the capabilities, generates the ACL schemas.
//! A plain `cargo build` / `cargo test` is a dev build that loads the Vite dev server, so it
//! needs no `ui/dist`; `tauri build` (feature `custom-protocol`) embeds it after building the UI.

use std::path::PathBuf;

fn main() {
    tauri_build::build();
    order_code();
}

/// Release builds of the app on x86_64 Linux (linked by LLD, Rust's default linker there) lay
/// the functions that run at start and at rest side by side, in the order of `symbol-order.txt`
/// (made from a profile by `scripts/code-order.py`). The kernel maps a binary's code into the
/// process 64 KiB around each page that runs: scattered over the whole binary, the few
/// megabytes that run kept nearly all of its 11 MB of code resident. A name the linker does not
/// find is skipped, so the list only loses its effect as the code changes (`npm run bench:app`
/// says how much of it a build holds).
fn order_code() {
    let list = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("symbol-order.txt");
    println!("cargo:rerun-if-changed={}", list.display());
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    let lld_default = target("CARGO_CFG_TARGET_OS") == "linux"
        && target("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && target("CARGO_CFG_TARGET_ENV") == "gnu";
    if !(lld_default && target("PROFILE") == "release") {
        return;
    }
    let Ok(names) = std::fs::read_to_string(&list) else {
        return;
    };
    let ordering = PathBuf::from(target("OUT_DIR")).join("symbol-order.txt");
    if let Err(e) = std::fs::write(&ordering, with_renumbered_copies(&names)) {
        println!(
            "cargo:warning=the code layout is left out: cannot write {}: {e}",
            ordering.display()
        );
        return;
    }
    for arg in [
        format!("-Wl,--symbol-ordering-file={}", ordering.display()),
        "-Wl,--no-warn-symbol-ordering".to_owned(),
    ] {
        println!("cargo:rustc-link-arg-bin=tokenkeeper-app={arg}");
    }
}

/// How far LTO's numbers may move and still be looked for.
const RENUMBERED: u32 = 16;

/// The list, with each numbered name followed by the same name numbered near it. Link-time
/// optimisation gives the local copies of a function it merges a number (`SyncWaker::notify.3737`)
/// in the order it meets them, so a change anywhere else moves the numbers of functions that did
/// not change. A build with one small module more lost 14 of the list's 2,310 names that way,
/// every one found again 2 further on. Its code resident at rest (smaps, 10,000 credentials, the
/// binary's file dropped from the page cache before each run, two runs each): 3.86-3.92 MiB with
/// the list as written, 3.34-3.41 with the near numbers, against 3.07-3.28 for main's build (the
/// rest is code the profile did not run, laid out anew: the list is worth making again as the
/// code changes). A near number can name another copy of the same function that does not run:
/// that copy is laid out among those that do, which costs its own size and nothing else.
fn with_renumbered_copies(names: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(names.len() * 4);
    for name in names.lines() {
        out.push_str(name);
        out.push('\n');
        let numbered = name
            .rsplit_once('.')
            .and_then(|(base, n)| Some((base, n.parse::<u32>().ok()?)));
        if let Some((base, n)) = numbered {
            for m in (n.saturating_sub(RENUMBERED)..=n + RENUMBERED).filter(|&m| m != n) {
                let _ = writeln!(out, "{base}.{m}");
            }
        }
    }
    out
}
