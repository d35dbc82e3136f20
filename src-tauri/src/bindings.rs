//! The TypeScript bindings of the commands, `ui/src/lib/bindings.ts`: generated from the Rust
//! signatures by tauri-specta, committed so the UI builds without Rust, and checked by a test
//! so the two never drift apart.

use std::path::PathBuf;

use specta_typescript::{BigIntExportBehavior, Typescript};

/// The command that regenerates the file, for messages.
pub const REGENERATE: &str = "cargo run -p tokenkeeper-app --bin export-bindings";

const HEADER: &str = "// Generated from src-tauri by tauri-specta: do not edit.
// Regenerate with `cargo run -p tokenkeeper-app --bin export-bindings`.
// @ts-nocheck
/* eslint-disable */";

/// Where the UI expects the bindings.
pub fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts")
}

/// The bindings as they should be now.
///
/// # Errors
/// A type that TypeScript cannot express (specta's message names it).
pub fn typescript() -> Result<String, specta_typescript::ExportError> {
    // Days and counts are far below 2^53: plain numbers, not BigInt.
    let language = Typescript::default()
        .header(HEADER)
        .bigint(BigIntExportBehavior::Number);
    crate::specta_builder::<tauri::Wry>().export_str(language)
}

/// Writes the bindings to [`path`] and returns it.
///
/// # Errors
/// As [`typescript`], or the file cannot be written.
pub fn write() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let path = path();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, typescript()?)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    #[test]
    fn committed_bindings_match_the_commands() {
        let fresh = super::typescript().expect("bindings render");
        let committed = std::fs::read_to_string(super::path())
            .unwrap_or_default()
            .replace("\r\n", "\n");
        assert!(
            fresh == committed,
            "ui/src/lib/bindings.ts is out of date with the commands: run `{}` and commit it",
            super::REGENERATE
        );
    }
}
