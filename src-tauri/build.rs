//! Tauri's build step: reads `tauri.conf.json` and the capabilities, generates the ACL schemas.
//! A plain `cargo build` / `cargo test` is a dev build that loads the Vite dev server, so it
//! needs no `ui/dist`; `tauri build` (feature `custom-protocol`) embeds it after building the UI.

fn main() {
    tauri_build::build();
}
