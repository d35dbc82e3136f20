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
/// find is skipped, so the list only loses its effect as the code changes.
fn order_code() {
    let list = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
        .join("symbol-order.txt");
    println!("cargo:rerun-if-changed={}", list.display());
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    let lld_default = target("CARGO_CFG_TARGET_OS") == "linux"
        && target("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && target("CARGO_CFG_TARGET_ENV") == "gnu";
    if lld_default && target("PROFILE") == "release" && list.is_file() {
        for arg in [
            format!("-Wl,--symbol-ordering-file={}", list.display()),
            "-Wl,--no-warn-symbol-ordering".to_owned(),
        ] {
            println!("cargo:rustc-link-arg-bin=tokenkeeper-app={arg}");
        }
    }
}
