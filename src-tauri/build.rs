//! Tauri's build step: reads `tauri.conf.json` and the capabilities, generates the ACL schemas.

fn main() {
    tauri_build::build();
}
